import { describe, expect, it } from 'vitest';
import type { SessionBaseline, Touch } from '../../../src/engine/hunt/actor-baseline.ts';
import { actorResemblance, scoreActorSessions } from '../../../src/engine/hunt/actor-score.ts';
import { peerGroupOf } from '../../../src/engine/hunt/peers.ts';
import type { EmbeddingSet } from '../../../src/engine/hunt/types.ts';

const HOUR = 3600e6;

/** A session baseline with nothing unusual about it unless `touches` says so. */
function baseline(sessionId: number, actor: string, hour: number, touches: Touch[] = []): SessionBaseline {
  return {
    sessionId, startUs: hour * HOUR, actor, peers: peerGroupOf(actor), newcomer: false, inBaseline: false, events: 10, touches,
    deletes: [], priorMaxDeletes: 0, denied: [], priorDeniedMean: 0, firstSeenUs: 0, hourShare: null, external: [], sensitive: [],
  };
}

/** 2-d embeddings: people's kubectl work near (0, 0), the controllers' near (10, 10). */
function embeddings(points: [number, [number, number]][]): EmbeddingSet {
  return { sessionIds: points.map(([id]) => id), dim: 2, data: Float32Array.from(points.flatMap(([, p]) => p)) };
}

const CONTROLLER = 'system:serviceaccount:kube-system:replicaset-controller';
const SCHEDULER = 'system:kube-scheduler';

/** alice and bob (people) and two controllers, a few sessions each, each kind in its own place. */
function history(): { list: SessionBaseline[]; points: [number, [number, number]][] } {
  const list: SessionBaseline[] = [];
  const points: [number, [number, number]][] = [];
  let id = 1;
  for (let h = 0; h < 6; h++) {
    for (const [actor, at] of [['alice@example.com', [0, 0]], ['bob@example.com', [0.5, 0]], [CONTROLLER, [10, 10]], [SCHEDULER, [10.5, 10]]] as const) {
      list.push(baseline(id, actor, h));
      points.push([id++, [at[0] + 0.01 * h, at[1] + 0.02 * h]]);
    }
  }
  return { list, points };
}

const newTouch: Touch = {
  kind: 'write-namespace', value: 'kube-system', scope: 'actor', auditIDs: ['a-1', 'a-2'], node: { type: 'namespace', label: 'kube-system' },
};

describe('whose work a session resembles', () => {
  it('tells a session among strangers from one among its own and its peers', () => {
    const { list, points } = history();
    list.push(baseline(100, 'alice@example.com', 7), baseline(101, 'alice@example.com', 8), baseline(102, 'bob@example.com', 9));
    // alice's usual work; alice doing what the controllers do; bob doing alice's kind of work
    points.push([100, [0.05, 0.01]], [101, [10.2, 10.1]], [102, [0.01, 0.05]]);
    const r = actorResemblance(list, embeddings(points));
    expect(r.get(100)).toMatchObject({ missing: 0, kin: 10, expected: 10 });
    expect(r.get(101)!.missing).toBe(1);
    expect(r.get(101)!.strangers.map(([a]) => a).sort()).toEqual([CONTROLLER, SCHEDULER].sort());
    // a colleague's work is kin: people share work with people
    expect(r.get(102)!.missing).toBe(0);
  });

  it('does not ask about an identity with too little history', () => {
    const { list, points } = history();
    list.push(baseline(200, 'erin@example.com', 7), baseline(201, 'erin@example.com', 8), baseline(202, 'erin@example.com', 9));
    points.push([200, [10, 10]], [201, [10, 10]], [202, [10, 10]]);
    const r = actorResemblance(list, embeddings(points));
    // erin's first three sessions have fewer than three of her own before them
    expect(r.has(200) || r.has(201) || r.has(202)).toBe(false);
    // the first sessions of the case have no history at all
    expect(r.has(1)).toBe(false);
  });
});

describe('the model evidence of an actor session', () => {
  it('says a session does not look like its actor, cites what was new in it and names the nodes', () => {
    const { list, points } = history();
    list.push(baseline(101, 'alice@example.com', 8, [newTouch]));
    points.push([101, [10.2, 10.1]]);
    const byId = new Map(list.map((b) => [b.sessionId, b]));
    const scored = scoreActorSessions(byId, { embeddings: embeddings(points) });
    const s = scored.find((x) => x.sessionId === 101)!;
    const reason = s.reasons.find((x) => x.kind === 'unlike-own-work')!;
    expect(reason.text).toContain("only 0 are alice@example.com's or its peers' (people; 10 expected)");
    expect(reason.text).toContain(CONTROLLER);
    expect(reason.auditIDs).toEqual(['a-1', 'a-2']);
    expect(reason.nodes).toEqual([{ type: 'namespace', label: 'kube-system' }]);
    expect(s.modelEvidence).toBeGreaterThanOrEqual(1);
    // without the model the same session carries the baseline's evidence alone
    const plain = scoreActorSessions(byId, null).find((x) => x.sessionId === 101)!;
    expect(plain.reasons.some((x) => x.kind === 'unlike-own-work')).toBe(false);
    expect(s.risk).toBeGreaterThan(plain.risk);
    // a session like its own past carries none
    expect(scored.find((x) => x.sessionId === 24)!.reasons.some((x) => x.kind === 'unlike-own-work')).toBe(false);
  });

  it('calls nothing unlike its actor inside the baseline period, and counts it at half when nothing else is unusual', () => {
    const { list, points } = history();
    const early = { ...baseline(101, 'alice@example.com', 8), inBaseline: true };
    list.push(early, baseline(102, 'alice@example.com', 9));
    points.push([101, [10.2, 10.1]], [102, [10.3, 10.2]]);
    const scored = scoreActorSessions(new Map(list.map((b) => [b.sessionId, b])), { embeddings: embeddings(points) });
    expect(scored.find((x) => x.sessionId === 101)!.reasons).toEqual([]);
    const alone = scored.find((x) => x.sessionId === 102)!;
    const r = alone.reasons.find((x) => x.kind === 'unlike-own-work')!;
    expect(r.auditIDs).toEqual([]);
    expect(r.nodes).toBeUndefined();
    expect(alone.evidence).toBeCloseTo(alone.modelEvidence / 2, 6);
  });
});
