import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/engine/model/backend.ts';
import { collate } from '../../../src/engine/model/batch.ts';
import { GcnModel } from '../../../src/engine/model/gcn.ts';
import { normalizedAdjacency, prepareGraph } from '../../../src/engine/model/graph-data.ts';
import { nodeFeatures } from '../../../src/engine/sessions/features.ts';
import { star } from './helpers.ts';

const hashing = { dim: 8, tokens: 'whole' as const };

/** Dense reference: relu(A X W + b) with plain nested loops. */
function denseLayer(a: number[][], x: number[][], w: number[][], b: number[]): number[][] {
  const xw = x.map((row) => w[0].map((_, j) => row.reduce((s, v, k) => s + v * w[k][j], 0)));
  return a.map((row) => b.map((bj, j) => Math.max(0, bj + row.reduce((s, v, k) => s + v * xw[k][j], 0))));
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('GCN forward', () => {
  it('normalizes a 4-node star as D^-1/2 (A+I) D^-1/2', () => {
    const g = star();
    const { rowPtr, col, val } = normalizedAdjacency(4, g.src, g.dst, g.weight);
    const dense = Array.from({ length: 4 }, () => new Array(4).fill(0));
    for (let i = 0; i < 4; i++) for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) dense[i][col[k]] = val[k];
    // degrees with self-loops: hub 4, leaves 2
    const r8 = 1 / Math.sqrt(8);
    const expected = [
      [1 / 4, r8, r8, r8],
      [r8, 1 / 2, 0, 0],
      [r8, 0, 1 / 2, 0],
      [r8, 0, 0, 1 / 2],
    ];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(dense[i][j]).toBeCloseTo(expected[i][j], 6);
  });

  it('matches a hand-computed three-layer pass with mean pool and head', () => {
    const g = star();
    const model = new GcnModel({ inDim: 8, hidden: 4, labels: 3, layers: 3, seed: 7 });
    const w = model.snapshot();
    const A = (() => {
      const r8 = 1 / Math.sqrt(8);
      return [
        [1 / 4, r8, r8, r8],
        [r8, 1 / 2, 0, 0],
        [r8, 0, 1 / 2, 0],
        [r8, 0, 0, 1 / 2],
      ];
    })();
    const x = nodeFeatures(g.nodeTypes, g.nodeLabels, hashing);
    const X = Array.from({ length: 4 }, (_, i) => Array.from(x.subarray(i * 8, i * 8 + 8)));
    const mat = (a: Float32Array, r: number, c: number): number[][] => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, i * c + c)));
    // non-zero biases so the test sees them
    w.b1.set([0.1, -0.2, 0.3, 0.05]);
    w.b3.set([0.2, 0.2, -0.1, 0]);
    model.restore(w);
    const h1 = denseLayer(A, X, mat(w.w1, 8, 4), Array.from(w.b1));
    const h2 = denseLayer(A, h1, mat(w.w2, 4, 4), Array.from(w.b2));
    const h3 = denseLayer(A, h2, mat(w.w3, 4, 4), Array.from(w.b3));
    const emb = [0, 1, 2, 3].map((j) => h3.reduce((s, r) => s + r[j], 0) / 4);
    const logits = [0, 1, 2].map((l) => w.bo[l] + emb.reduce((s, v, k) => s + v * w.wo[k * 3 + l], 0));
    const batch = collate([prepareGraph(g, hashing)], 8, 3);
    const e = model.embed(batch);
    const z = model.logits(batch);
    expect(Array.from(e.dataSync())).toEqual(emb.map((v) => expect.closeTo(v, 5)));
    expect(Array.from(z.dataSync())).toEqual(logits.map((v) => expect.closeTo(v, 5)));
    expect(emb.some((v) => v !== 0)).toBe(true);
    e.dispose();
    z.dispose();
    model.dispose();
  });

  it('embeds a graph the same alone and inside a batch (disjoint union)', () => {
    const a = prepareGraph(star(), hashing);
    const b = prepareGraph({ ...star(), nodeLabels: ['/x', '1.1.1.1', 'ops', 'secrets'] }, hashing);
    const model = new GcnModel({ inDim: 8, hidden: 8, labels: 2, layers: 3, seed: 3 });
    const alone = model.embed(collate([b], 8, 2));
    const both = model.embed(collate([a, b], 8, 2));
    expect(Array.from(both.dataSync().subarray(8))).toEqual(Array.from(alone.dataSync()).map((v) => expect.closeTo(v, 6)));
    tf.dispose([alone, both]);
    model.dispose();
  });
});
