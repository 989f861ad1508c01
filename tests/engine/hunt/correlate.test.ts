import { describe, expect, it } from 'vitest';
import { combineRisk, correlate, groupRuleHits, type Anomaly } from '../../../src/engine/hunt/correlate.ts';
import type { HuntRuleHit } from '../../../src/engine/hunt/types.ts';
import { MIN, T0 } from './case-fixture.ts';

const hit = (auditID: string, minute: number, user = 'mallory', ruleId = 'secret-read', severity: HuntRuleHit['severity'] = 'high'): HuntRuleHit => ({
  ruleId,
  title: 'Secret read by a human',
  severity,
  techniques: ['T1552.007'],
  auditID,
  timeUs: T0 + minute * MIN,
  user,
  sourceIPs: ['198.51.100.7'],
});

const anomaly = (sessionId: number, ids: string[], score = 0.7): Anomaly => ({
  sessionId,
  score,
  startUs: T0 + sessionId * MIN,
  endUs: T0 + (sessionId + 1) * MIN,
  auditIDs: ids,
  users: ['mallory'],
  sourceIPs: ['198.51.100.7'],
  reasons: [{ kind: 'new-sourceIP', text: 'New source IP 198.51.100.7', auditIDs: [ids[0]] }],
});

describe('correlation', () => {
  it('ranks a rule hit inside an anomalous session above the same rule alone and the same anomaly alone', () => {
    const findings = correlate(
      [anomaly(3, ['s3-a', 's3-b']), anomaly(9, ['s9-a', 's9-b'])],
      [hit('s3-b', 3), hit('x-1', 40, 'eve')],
      { threshold: 0.6 },
    );
    expect(findings.map((f) => f.kind)).toEqual(['correlated', 'rule', 'anomaly']);
    const [both, rule, alone] = findings;
    expect(both.score).toBeGreaterThan(rule.score);
    expect(both.score).toBeGreaterThan(alone.score);
    expect(both.sessionId).toBe(3);
    expect(both.techniques).toEqual(['T1552.007']);
    expect(both.auditIDs).toEqual(['s3-a', 's3-b']);
    expect(both.reasons.map((r) => r.kind)).toEqual(['rule-hit', 'new-sourceIP']);
    expect(both.title).toBe('Secret read by a human inside unusual session #3');
    expect(alone.techniques).toEqual([]);
    expect(combineRisk(0.4, 0.5)).toBeCloseTo(0.7);
  });

  it("opens a rule finding outside every anomaly on the session of its top group's first hit", () => {
    const sessions = new Map([['m-0', 41], ['m-1', 42], ['e-1', 7]]);
    const findings = correlate([], [hit('m-0', 40), hit('m-1', 41), hit('e-1', 1, 'eve', 'exec-into-pod', 'medium')], {
      threshold: 0.6,
      sessionOf: (id) => sessions.get(id),
    });
    expect(findings.map((f) => [f.users[0], f.sessionId])).toEqual([['mallory', 41], ['eve', 7]]);
    // Without the lookup (or for an event no session holds) a rule finding has none, as before.
    expect(correlate([], [hit('m-0', 40)], { threshold: 0.6 })[0].sessionId).toBeUndefined();
    expect(correlate([], [hit('zz', 40)], { threshold: 0.6, sessionOf: (id) => sessions.get(id) })[0].sessionId).toBeUndefined();
  });

  it('keeps the same finding id when an anomaly becomes correlated, so triage reattaches', () => {
    const a = correlate([anomaly(3, ['s3-a'])], [], { threshold: 0.6 })[0];
    const b = correlate([anomaly(3, ['s3-a'])], [hit('s3-a', 3)], { threshold: 0.6 })[0];
    expect(b.kind).toBe('correlated');
    expect(b.id).toBe(a.id);
    expect(a.id).toMatch(/^F-[0-9a-f]{10}$/);
  });

  it('groups hits of one rule by one actor close in time into one finding', () => {
    const hits: HuntRuleHit[] = [];
    for (let i = 0; i < 500; i++) hits.push(hit(`m-${i}`, i * 0.01));
    hits.push(hit('m-late', 120)); // two hours later: a separate episode
    hits.push(hit('e-1', 1, 'eve')); // another actor
    hits.push(hit('m-other', 1, 'mallory', 'exec-into-pod', 'medium')); // another rule
    expect(groupRuleHits(hits).map((g) => [g.ruleId, g.user, g.hits.length])).toEqual([
      ['exec-into-pod', 'mallory', 1],
      ['secret-read', 'eve', 1],
      ['secret-read', 'mallory', 500],
      ['secret-read', 'mallory', 1],
    ]);
    const findings = correlate([], hits, { threshold: 0.6 });
    // mallory's exec during the secret reads is the same episode: one incident finding with both rules.
    expect(findings).toHaveLength(3);
    const big = findings.find((f) => f.auditIDs.length === 501)!;
    expect(big.title).toBe('Secret read by a human by mallory (×500) and 1 more rule');
    expect(big.ruleIds).toEqual(['exec-into-pod', 'secret-read']);
    expect(big.start < big.end).toBe(true);
    // Repetition raises risk a little, but a high rule stays below a critical one.
    expect(big.score).toBeGreaterThan(findings.find((f) => f.auditIDs[0] === 'm-late')!.score);
    expect(correlate([], [hit('c', 1, 'z', 'r2', 'critical')], { threshold: 0.6 })[0].score).toBeGreaterThan(big.score);
  });
});
