import { describe, expect, it } from 'vitest';
import { runHunt } from '../../../src/engine/hunt/hunt.ts';
import { iforestScorer } from '../../../src/engine/hunt/forest-scorer.ts';
import { scoreSessions, buildFeatures, CONTEXT_FEATURES } from '../../../src/engine/hunt/score.ts';
import { buildProfile } from '../../../src/engine/hunt/profile.ts';
import type { EmbeddingSet } from '../../../src/engine/hunt/types.ts';
import { distanceScorer, tinyCase } from './case-fixture.ts';

/** Hand-made 2-d "embeddings": every session alike except session 26 (bob's). */
function embeddings(ids: number[]): EmbeddingSet {
  const data = new Float32Array(ids.length * 2);
  ids.forEach((id, i) => {
    data[i * 2] = id === 26 ? 4 : 0.1 * (i % 3);
    data[i * 2 + 1] = id === 26 ? -3 : 0.05 * (i % 5);
  });
  return { sessionIds: ids, dim: 2, data };
}

describe('hunt', () => {
  const { events, sessions } = tinyCase();
  const byId = new Map(events.map((e) => [e.auditID, e]));
  const input = {
    sessions,
    events: () => events,
    getEvents: (ids: string[]) => ids.map((id) => byId.get(id)!),
    embeddings: embeddings(sessions.map((s) => s.id)),
    ruleHits: [
      { ruleId: 'secret-list', title: 'Secrets listed', severity: 'medium' as const, techniques: ['T1552.007'], auditID: 'b-3', timeUs: byId.get('b-3')!.timeUs, user: 'bob', sourceIPs: ['203.0.113.9'] },
    ],
  };

  it('flags ⌈contamination·S⌉ sessions, the outlier first', () => {
    const profile = buildProfile(sessions, () => events);
    const r = scoreSessions(input.embeddings, profile, iforestScorer(), { contamination: 0.05 });
    expect(r.flagged).toHaveLength(2);
    expect(r.flagged[0]).toBe(26);
    expect(r.threshold).toBe(r.scores.get(r.flagged[1]));
    expect(() => scoreSessions(input.embeddings, profile, iforestScorer(), { contamination: 0 })).toThrow(RangeError);
    const rows = buildFeatures(input.embeddings, profile, 'embedding+context');
    // 2 embedding columns, the 7 context columns once (⌈2 / 7⌉ = 1).
    expect(rows[25]).toHaveLength(2 + CONTEXT_FEATURES.length);
    expect(buildFeatures({ sessionIds: [1], dim: 14, data: new Float32Array(14) }, profile, 'embedding+context')[0]).toHaveLength(14 + 2 * CONTEXT_FEATURES.length);
    expect(buildFeatures(input.embeddings, profile, 'context')[25]).toHaveLength(CONTEXT_FEATURES.length);
    expect(rows[25][2]).toBeCloseTo(Math.log1p(16));
  });

  it('runs end to end: the rule hit inside the anomalous session becomes the top, correlated finding', async () => {
    const result = await runHunt({ ...input, scorer: iforestScorer() }, { contamination: 0.004 });
    expect(result.metrics.anomalies).toBe(1);
    const top = result.findings[0];
    expect(top.kind).toBe('correlated');
    expect(top.sessionId).toBe(26);
    expect(top.users).toEqual(['alice', 'bob']);
    const kinds = top.reasons.map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['rule-hit', 'verbs', 'size', 'new-sourceIP', 'new-user', 'new-namespace', 'nearest-normal']));
    for (const r of top.reasons) for (const id of r.auditIDs) expect(top.auditIDs).toContain(id);
  });

  it('with context features, runs occlusion through the model hook', async () => {
    const result = await runHunt(
      {
        ...input,
        scorer: distanceScorer,
        graphOf: () => ({ nodes: [{ id: 'u', type: 'user', label: 'bob' }, { id: 'i', type: 'sourceIP', label: '203.0.113.9' }], edges: [{ src: 'u', dst: 'i', weight: 1 }], auditIDs: [] }),
        // The "model" puts the session far away only while bob's IP is in the graph.
        embedGraph: async (g) => Float32Array.from(g.nodes.some((n) => n.label === '203.0.113.9') ? [4, -3] : [0, 0]),
      },
      { contamination: 0.004, mode: 'embedding+context', occlusion: true },
    );
    const occ = result.findings[0].reasons.filter((r) => r.kind === 'occlusion');
    expect(occ.map((r) => r.text)).toEqual([expect.stringContaining('sourceIP 203.0.113.9')]);
  });

  it('without a model, scores sessions on size and novelty alone and still finds bob', async () => {
    const result = await runHunt({ ...input, embeddings: null, scorer: iforestScorer() }, { contamination: 0.004, mode: 'embedding' });
    expect(result.metrics.mode).toBe('context');
    expect(result.findings.map((f) => [f.kind, f.sessionId])).toEqual([['correlated', 26]]);
    expect(result.findings[0].reasons.some((r) => r.kind === 'nearest-normal')).toBe(false);
  });
});
