import { describe, expect, it } from 'vitest';
import { correlate, type Anomaly } from '../../../src/engine/hunt/correlate.ts';
import { buildFamiliarity, familiarity } from '../../../src/engine/hunt/familiarity.ts';
import { buildProfile } from '../../../src/engine/hunt/profile.ts';
import type { HuntRuleHit } from '../../../src/engine/hunt/types.ts';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { ev, MIN, T0 } from './case-fixture.ts';

const PROM = 'system:serviceaccount:monitoring:prometheus';
const HOUR = 60 * MIN;

const hit = (e: AuditEvent, ruleId: string, severity: HuntRuleHit['severity'] = 'high', techniques = ['T1613']): HuntRuleHit => ({
  ruleId, title: ruleId, severity, techniques, auditID: e.auditID, timeUs: e.timeUs, user: e.user, sourceIPs: e.sourceIPs,
});

/**
 * A day: Prometheus scrapes nodes/proxy every 5 minutes from its own IP, from the first minute on;
 * alice works from 10.0.0.1 all day. At 14:00 mallory, never seen before, reaches nodes/proxy once;
 * at 15:00 alice execs from her usual address, and at 16:00 from an address she never used.
 */
function day(): { events: AuditEvent[]; hits: HuntRuleHit[] } {
  const events: AuditEvent[] = [];
  const hits: HuntRuleHit[] = [];
  for (let m = 0; m < 24 * 60; m += 5) {
    const e = ev(`p-${m}`, T0 + m * MIN, 'get', PROM, '10.0.9.9', null, 'nodes');
    events.push(e);
    hits.push(hit(e, 'NODE-PROXY'));
  }
  for (let m = 2; m < 24 * 60; m += 7) events.push(ev(`a-${m}`, T0 + m * MIN + 1e6, 'list', 'alice', '10.0.0.1', 'web', 'pods'));
  const mallory = ev('m-1', T0 + 14 * HOUR + 30e6, 'get', 'mallory', '203.0.113.50', null, 'nodes');
  const usual = ev('x-usual', T0 + 15 * HOUR + 40e6, 'create', 'alice', '10.0.0.1', 'web', 'pods');
  const odd = ev('x-odd', T0 + 16 * HOUR + 40e6, 'create', 'alice', '198.51.100.77', 'web', 'pods');
  events.push(mallory, usual, odd);
  hits.push(hit(mallory, 'NODE-PROXY'), hit(usual, 'EXEC', 'medium', ['T1609']), hit(odd, 'EXEC', 'medium', ['T1609']));
  events.sort((a, b) => a.timeUs - b.timeUs || a.auditID.localeCompare(b.auditID));
  return { events, hits };
}

const profileOf = (events: AuditEvent[]): ReturnType<typeof buildProfile> => buildProfile([], () => events);

describe('rule familiarity', () => {
  it('ranks an all-day habit present since the baseline below the same rule by a new actor', () => {
    const { events, hits } = day();
    const ctx = buildFamiliarity(hits, profileOf(events));
    const findings = correlate([], hits, { threshold: 0.6, familiarity: ctx });
    const rank = (user: string): number => findings.findIndex((f) => f.users.includes(user) && f.ruleIds.includes('NODE-PROXY'));
    expect(rank('mallory')).toBeLessThan(rank(PROM));
    const habit = findings[rank(PROM)];
    expect(habit.reasons.map((r) => r.kind)).toContain('routine');
    expect(habit.severity).toBe('medium'); // one step below the rule's high
    const novel = findings[rank('mallory')];
    expect(novel.reasons.map((r) => r.kind)).toContain('new-rule-actor');
  });

  it('without familiarity the habit outranks the new actor: its 288 repeats count as evidence', () => {
    const { hits } = day();
    const findings = correlate([], hits, { threshold: 0.6 });
    expect(findings[0].users).toEqual([PROM]);
  });

  it('lifts a rule hit from an address the user never established above the same hit from her usual one', () => {
    const { events, hits } = day();
    const ctx = buildFamiliarity(hits, profileOf(events));
    const exec = hits.filter((h) => h.ruleId === 'EXEC');
    const usual = familiarity(ctx, { ruleId: 'EXEC', user: 'alice', hits: [exec[0]], startUs: exec[0].timeUs }, 0.45);
    const odd = familiarity(ctx, { ruleId: 'EXEC', user: 'alice', hits: [exec[1]], startUs: exec[1].timeUs }, 0.45);
    expect(usual.risk).toBe(0.45);
    expect(odd.risk).toBeGreaterThan(usual.risk);
    expect(odd.reasons.find((r) => r.kind === 'unfamiliar-source')?.text).toContain('198.51.100.77');
    expect(usual.reasons.some((r) => r.kind === 'unfamiliar-source')).toBe(false);
  });

  it('keeps a habit from lifting an anomalous session, and the session finding to the session window', () => {
    const { events, hits } = day();
    const ctx = buildFamiliarity(hits, profileOf(events));
    const start = T0 + 14 * HOUR;
    const inside = events.filter((e) => e.timeUs >= start && e.timeUs < start + MIN);
    const anomaly: Anomaly = {
      sessionId: 7, score: 0.8, startUs: start, endUs: start + MIN - 1, auditIDs: inside.map((e) => e.auditID),
      users: [...new Set(inside.map((e) => e.user))], sourceIPs: [...new Set(inside.flatMap((e) => e.sourceIPs))], reasons: [],
    };
    const findings = correlate([anomaly], hits, { threshold: 0.6, familiarity: ctx });
    const session = findings.find((f) => f.sessionId === 7)!;
    // Mallory's one-off is the evidence; Prometheus' scrape in the same minute is context only.
    expect(session.kind).toBe('correlated');
    expect(session.title).toBe('NODE-PROXY inside unusual session #7');
    expect(session.endUs - session.startUs).toBeLessThan(MIN);
    expect(session.reasons.filter((r) => r.kind === 'rule-hit').map((r) => r.text).join('\n')).toContain(PROM);
    // The rest of the day's scraping stays one demoted rule finding, without the minute lent to the session.
    const rest = findings.find((f) => f.kind === 'rule' && f.users.includes(PROM))!;
    expect(rest.auditIDs).not.toContain('p-840');
    expect(rest.score).toBeLessThan(session.score);
    expect(rest.auditIDs.length).toBe(hits.filter((h) => h.user === PROM).length - 1);
  });

  it('counts further techniques of one actor’s episode, not further rules about the same technique', () => {
    const e = ev('w-1', T0 + 5 * HOUR, 'create', 'bob', '10.0.0.2', 'web', 'pods');
    const same = correlate([], [hit(e, 'HOST-PID', 'high', ['T1611']), hit(e, 'HOST-NET', 'medium', ['T1611']), hit(e, 'HOST-PATH', 'medium', ['T1611'])], { threshold: 0.6 });
    const varied = correlate([], [hit(e, 'HOST-PID', 'high', ['T1611']), hit(e, 'EXEC', 'medium', ['T1609'])], { threshold: 0.6 });
    expect(same).toHaveLength(1);
    expect(varied).toHaveLength(1);
    expect(same[0].ruleIds).toEqual(['HOST-NET', 'HOST-PATH', 'HOST-PID']);
    expect(varied[0].score).toBeGreaterThan(same[0].score);
  });

  it('is deterministic: the same case gives the same findings in the same order', () => {
    const run = (): string[] => {
      const { events, hits } = day();
      return correlate([], hits, { threshold: 0.6, familiarity: buildFamiliarity(hits, profileOf(events)) }).map((f) => `${f.id}:${f.score}`);
    };
    expect(run()).toEqual(run());
  });

  it('says on a rule finding that its actor, namespace and addresses are new, not only that the rule fired', () => {
    const { events, hits } = day();
    const sa = 'system:serviceaccount:secops:auditor';
    const e = ev('h-1', T0 + 18 * HOUR, 'list', sa, '100.64.200.42', null, 'secrets');
    const all = [...events, e].sort((a, b) => a.timeUs - b.timeUs);
    const ctx = buildFamiliarity([...hits, hit(e, 'SECRETS-LIST', 'medium')], profileOf(all));
    const kinds = (user: string): string[] => correlate([], [...hits, hit(e, 'SECRETS-LIST', 'medium')], { threshold: 0.6, familiarity: ctx }).find((f) => f.users.includes(user) && f.kind === 'rule')!.reasons.map((r) => r.kind);
    expect(kinds(sa)).toEqual(expect.arrayContaining(['new-user', 'new-namespace', 'new-sourceIP']));
    // Each names its graph node, as the session explanations do, for the UI to mark.
    const saFinding = correlate([], [...hits, hit(e, 'SECRETS-LIST', 'medium')], { threshold: 0.6, familiarity: ctx }).find((f) => f.users.includes(sa) && f.kind === 'rule')!;
    expect(saFinding.reasons.filter((r) => r.kind.startsWith('new-') && r.kind !== 'new-rule-actor').map((r) => r.nodes)).toEqual(
      expect.arrayContaining([[{ type: 'user', label: sa }], [{ type: 'namespace', label: 'secops' }], [{ type: 'ip', label: '100.64.200.42' }]]),
    );
    // alice has worked here since the morning: her odd-address exec is displaced, not new.
    expect(kinds('alice')).not.toContain('new-user');
  });
});
