import { describe, expect, it } from 'vitest';
import { nearestSessions } from '../../../src/engine/hunt/similar.ts';
import type { EmbeddingRun } from '../../../src/engine/store/model.ts';

function run(vectors: Record<number, number[]>): EmbeddingRun {
  const ids = Object.keys(vectors).map(Number);
  const dim = vectors[ids[0]].length;
  return {
    runId: 1, modelId: 1, kind: 'trained', preset: 'actor', windowUs: 60e6, createdAt: 'now', projection: null, dim,
    sessionIds: Int32Array.from(ids),
    data: Float32Array.from(ids.flatMap((id) => vectors[id])),
  };
}

describe('nearestSessions', () => {
  const r = run({ 10: [0, 0], 11: [3, 4], 12: [1, 0], 13: [0, -2], 14: [6, 8] });

  it('ranks by Euclidean distance, nearest first, leaving the session itself out, with the median for scale', () => {
    const got = nearestSessions(r, 10, 10);
    expect(got.nearest).toEqual([
      { sessionId: 12, distance: 1 },
      { sessionId: 13, distance: 2 },
      { sessionId: 11, distance: 5 },
      { sessionId: 14, distance: 10 },
    ]);
    // Distances 1, 2, 5, 10: the median of an even count is the mean of the middle two.
    expect(got.typicalDistance).toBe(3.5);
    expect(nearestSessions(r, 12, 10).typicalDistance).toBeCloseTo((Math.sqrt(5) + Math.sqrt(20)) / 2, 6);
  });

  it('keeps only the k nearest, and the median still over them all', () => {
    // From [3, 4]: 12 at √20, then 10 and 14 both at 5 (the first one met wins the tie), 13 at √45.
    const got = nearestSessions(r, 11, 2);
    expect(got.nearest.map((n) => n.sessionId)).toEqual([12, 10]);
    expect(got.typicalDistance).toBe(5);
    expect(nearestSessions(r, 11, 0).nearest).toEqual([]);
  });

  it('finds nothing for a session the run does not hold, or a run of one', () => {
    expect(nearestSessions(r, 99, 5)).toEqual({ nearest: [], typicalDistance: null });
    expect(nearestSessions(run({ 1: [1, 2] }), 1, 5)).toEqual({ nearest: [], typicalDistance: null });
  });

  it('agrees with sorting every distance on a larger random run', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const vectors: Record<number, number[]> = {};
    for (let id = 1; id <= 300; id++) vectors[id] = Array.from({ length: 16 }, rand);
    const big = run(vectors);
    const me = vectors[42];
    const dist = (v: number[]): number => Math.hypot(...v.map((x, i) => Math.fround(x) - Math.fround(me[i])));
    const expected = Object.keys(vectors).map(Number).filter((id) => id !== 42).sort((a, b) => dist(vectors[a]) - dist(vectors[b])).slice(0, 8);
    expect(nearestSessions(big, 42, 8).nearest.map((n) => n.sessionId)).toEqual(expected);
  });
});
