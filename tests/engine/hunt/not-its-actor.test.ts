import { describe, expect, it } from 'vitest';
import type { SessionBaseline, Touch } from '../../../src/engine/hunt/actor-baseline.ts';
import { scoreActorSessions } from '../../../src/engine/hunt/actor-score.ts';
import { actorVerdicts } from '../../../src/engine/hunt/actor-verdict.ts';
import { peerGroupOf } from '../../../src/engine/hunt/peers.ts';
import type { EmbeddingSet } from '../../../src/engine/hunt/types.ts';

const HOUR = 3600e6;
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CONTROLLER = 'system:serviceaccount:kube-system:replicaset-controller';
const CLASSES = [ALICE, BOB, CONTROLLER, '(other)'];

function baseline(sessionId: number, actor: string, hour: number, touches: Touch[] = []): SessionBaseline {
  return {
    sessionId, startUs: hour * HOUR, actor, peers: peerGroupOf(actor), newcomer: false, inBaseline: false, events: 10, touches,
    deletes: [], priorMaxDeletes: 0, denied: [], priorDeniedMean: 0, firstSeenUs: 0, hourShare: null, external: [], sensitive: [],
  };
}

/**
 * Sessions with the actor model's answer for each (a row over CLASSES) and an embedding that
 * puts every session at the origin, so the distance evidence says nothing and only the verdict
 * can speak.
 */
function caseOf(rows: [SessionBaseline, number[]][]): { baselines: Map<number, SessionBaseline>; emb: EmbeddingSet } {
  return {
    baselines: new Map(rows.map(([b]) => [b.sessionId, b])),
    emb: { sessionIds: rows.map(([b]) => b.sessionId), dim: 1, data: new Float32Array(rows.length), actorClasses: { classes: CLASSES, probs: Float32Array.from(rows.flatMap(([, p]) => p)) } },
  };
}

const newTouch: Touch = { kind: 'write-namespace', value: 'kube-system', scope: 'actor', auditIDs: ['a-1', 'a-2'], node: { type: 'namespace', label: 'kube-system' } };

/** Ordinary history: each identity's sessions taken for its own. */
function usual(): [SessionBaseline, number[]][] {
  const rows: [SessionBaseline, number[]][] = [];
  let id = 1;
  for (let h = 0; h < 4; h++) {
    rows.push([baseline(id++, ALICE, h), [0.9, 0.05, 0.03, 0.02]]);
    rows.push([baseline(id++, BOB, h), [0.05, 0.9, 0.03, 0.02]]);
    rows.push([baseline(id++, CONTROLLER, h), [0.01, 0.01, 0.97, 0.01]]);
  }
  return rows;
}

describe('the actor model’s own verdict (not-its-actor)', () => {
  it('fires when a stranger is the model’s answer, names it with its probability, cites what was new and names the nodes', () => {
    const rows = usual();
    rows.push([baseline(100, ALICE, 8, [newTouch]), [0.06, 0.04, 0.85, 0.05]]);
    const { baselines, emb } = caseOf(rows);
    const scored = scoreActorSessions(baselines, { embeddings: emb });
    const s = scored.find((x) => x.sessionId === 100)!;
    const r = s.reasons.find((x) => x.kind === 'not-its-actor')!;
    expect(r.text).toContain(`gives ${ALICE} 0.060, its peers' (people) 0.040, and ${CONTROLLER} (0.850)`);
    expect(r.auditIDs).toEqual(['a-1', 'a-2']);
    expect(r.nodes).toEqual([{ type: 'namespace', label: 'kube-system' }]);
    // 8.5× the kin's 0.1 is past four times the floor: full weight
    expect(r.weight).toBeCloseTo(1, 6);
    // the session's own history carries none
    for (const x of scored.filter((x) => x.sessionId < 100)) expect(x.reasons.some((y) => y.kind === 'not-its-actor')).toBe(false);
    // switched off, the same session has no such reason and less evidence
    const off = scoreActorSessions(baselines, { embeddings: emb, notItsActor: false }).find((x) => x.sessionId === 100)!;
    expect(off.reasons.some((x) => x.kind === 'not-its-actor')).toBe(false);
    expect(off.evidence).toBeLessThan(s.evidence);
  });

  it('takes a peer’s answer as kin: a session that looks like a colleague’s work is ordinary', () => {
    const rows = usual();
    // alice doing bob's kind of work, and a coin toss between alice and the controller
    rows.push([baseline(100, ALICE, 8), [0.1, 0.85, 0.03, 0.02]], [baseline(101, ALICE, 9), [0.4, 0.05, 0.5, 0.05]]);
    const { baselines, emb } = caseOf(rows);
    const v = actorVerdicts([...baselines.values()], emb);
    expect(v.get(100)).toMatchObject({ kin: expect.closeTo(0.95, 5), odds: expect.closeTo(0.03 / 0.95, 5) });
    expect(v.get(101)!.odds).toBeCloseTo(0.5 / 0.45, 5);
    const scored = scoreActorSessions(baselines, { embeddings: emb });
    for (const id of [100, 101]) expect(scored.find((x) => x.sessionId === id)!.reasons.some((x) => x.kind === 'not-its-actor')).toBe(false);
  });

  it('counts "(other)" as a stranger, and says nothing of an identity that is not a class', () => {
    const rows = usual();
    rows.push([baseline(100, BOB, 8), [0.02, 0.08, 0.02, 0.88]], [baseline(101, 'erin@example.com', 8), [0.02, 0.02, 0.9, 0.06]]);
    const { baselines, emb } = caseOf(rows);
    const v = actorVerdicts([...baselines.values()], emb);
    expect(v.get(100)!.strangers[0]).toEqual(['(other)', expect.closeTo(0.88, 5)]);
    expect(v.has(101)).toBe(false);
    const scored = scoreActorSessions(baselines, { embeddings: emb });
    expect(scored.find((x) => x.sessionId === 100)!.reasons.some((x) => x.kind === 'not-its-actor')).toBe(true);
    expect(scored.find((x) => x.sessionId === 101)!.reasons.some((x) => x.kind === 'not-its-actor')).toBe(false);
  });

  it('is silent inside the baseline period, counts at half alone, and from twice the kin’s probability', () => {
    const rows = usual();
    const early = { ...baseline(100, ALICE, 8), inBaseline: true };
    rows.push(
      [early, [0.05, 0.05, 0.85, 0.05]],
      // kin 0.25, the controller 0.5: exactly the floor; then just under it
      [baseline(101, ALICE, 9), [0.125, 0.125, 0.5, 0.25]],
      [baseline(102, ALICE, 10), [0.125, 0.125, 0.49, 0.26]],
      [baseline(103, ALICE, 11), [0.06, 0.04, 0.2, 0.7]],
    );
    const { baselines, emb } = caseOf(rows);
    const scored = scoreActorSessions(baselines, { embeddings: emb });
    const reason = (id: number) => scored.find((x) => x.sessionId === id)!.reasons.find((x) => x.kind === 'not-its-actor');
    expect(scored.find((x) => x.sessionId === 100)!.reasons).toEqual([]);
    expect(reason(101)!.weight).toBeCloseTo(0.5, 6);
    expect(reason(102)).toBeUndefined();
    // "(other)" is the likeliest stranger here (7× the kin), the controller next
    expect(reason(103)!.text).toContain(`and (other) (0.700), ${CONTROLLER} (0.200)`);
    expect(reason(103)!.auditIDs).toEqual([]);
    expect(reason(103)!.nodes).toBeUndefined();
    const alone = scored.find((x) => x.sessionId === 101)!;
    expect(alone.modelEvidence).toBeGreaterThan(0);
    expect(alone.evidence).toBeCloseTo(alone.modelEvidence / 2, 6);
  });
});
