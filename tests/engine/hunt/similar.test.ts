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
  const r = run({ 10: [1, 0, 0], 11: [2, 0.1, 0], 12: [0, 1, 0], 13: [-1, 0, 0], 14: [0, 0, 0], 15: [1, 1, 0] });

  it('ranks by cosine distance, nearest first, leaving the session itself out', () => {
    const got = nearestSessions(r, 10, 10);
    expect(got.map((n) => n.sessionId)).toEqual([11, 15, 12, 14, 13]);
    // Length does not matter, direction does: 11 is twice as long as 10 and nearly parallel.
    expect(got[0].distance).toBeCloseTo(1 - 2 / Math.hypot(2, 0.1), 6);
    expect(got.find((n) => n.sessionId === 12)?.distance).toBeCloseTo(1, 6);
    expect(got.find((n) => n.sessionId === 13)?.distance).toBeCloseTo(2, 6);
    // A zero vector has no direction: unrelated, not NaN.
    expect(got.find((n) => n.sessionId === 14)?.distance).toBe(1);
  });

  it('keeps only the k nearest', () => {
    expect(nearestSessions(r, 12, 2).map((n) => n.sessionId)).toEqual([15, 11]);
    expect(nearestSessions(r, 12, 0)).toEqual([]);
  });

  it('finds nothing for a session the run does not hold', () => {
    expect(nearestSessions(r, 99, 5)).toEqual([]);
  });

  it('agrees with sorting every distance on a larger random run', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const vectors: Record<number, number[]> = {};
    for (let id = 1; id <= 300; id++) vectors[id] = Array.from({ length: 16 }, rand);
    const big = run(vectors);
    const me = vectors[42];
    const cos = (v: number[]): number => 1 - v.reduce((s, x, i) => s + x * me[i], 0) / (Math.hypot(...v) * Math.hypot(...me));
    const expected = Object.keys(vectors).map(Number).filter((id) => id !== 42).sort((a, b) => cos(vectors[a]) - cos(vectors[b])).slice(0, 8);
    expect(nearestSessions(big, 42, 8).map((n) => n.sessionId)).toEqual(expected);
  });
});
