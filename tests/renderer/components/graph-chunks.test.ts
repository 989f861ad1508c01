import { describe, expect, it } from 'vitest';
import { drawChunks } from '../../../src/renderer/src/components/graph-chunks.ts';

const nodes = Array.from({ length: 7 }, (_, i) => ({ data: { id: `n${i}` } }));
const edges = Array.from({ length: 9 }, (_, i) => ({ data: { id: `e${i}`, source: `n${i % 7}`, target: `n${(i * 3 + 1) % 7}` } }));

describe('progressive draw slices', () => {
  it('covers every element exactly once, in order, in slices that double up to the cap', () => {
    const slices = drawChunks(nodes, edges, 2, 5);
    expect(slices.map((s) => s.length)).toEqual([2, 4, 5, 5]);
    expect(slices.flat().map((e) => e.data.id)).toEqual([...nodes, ...edges].map((e) => e.data.id));
  });

  it('never adds an edge before both of its ends', () => {
    const seen = new Set<string>();
    for (const slice of drawChunks(nodes, edges, 1, 3)) {
      for (const el of slice) {
        if ('source' in el.data) {
          expect(seen.has(el.data.source) && seen.has(el.data.target)).toBe(true);
        }
        seen.add(el.data.id);
      }
    }
  });

  it('starts small and stays a handful of frames for a 2,000-node sweep', () => {
    const big = drawChunks(Array.from({ length: 2010 }, (_, i) => i), Array.from({ length: 17_933 }, (_, i) => -i));
    expect(big[0].length).toBe(500);
    expect(big.length).toBeLessThanOrEqual(12);
    expect(Math.max(...big.map((s) => s.length))).toBe(2000);
  });

  it('is one slice when everything fits, and none for an empty view', () => {
    expect(drawChunks(nodes, edges, 100, 100)).toHaveLength(1);
    expect(drawChunks([], [])).toEqual([]);
  });
});
