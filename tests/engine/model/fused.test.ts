import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../../../src/engine/model/adam.ts';
import { selectBackend } from '../../../src/engine/model/backend.ts';
import { collate } from '../../../src/engine/model/batch.ts';
import { FusedGcn } from '../../../src/engine/model/fused.ts';
import { embedGraphs } from '../../../src/engine/model/embed.ts';
import { createGemmKernels } from '../../../src/engine/model/gemm-wasm.ts';
import { GcnModel, PARAM_NAMES } from '../../../src/engine/model/gcn.ts';
import { prepareGraph } from '../../../src/engine/model/graph-data.ts';
import { seededRandom } from '../../../src/engine/model/rng.ts';
import { SEED } from '../../../src/engine/sessions/presets.ts';
import { VERBS } from '../../../src/engine/sessions/verbs.ts';
import { synthSessions } from './helpers.ts';

const L = VERBS.length;
const prepared = synthSessions(SEED, 3000, 120, 4).map((g) => prepareGraph(g, SEED.hashing));
const config = { inDim: 40, hidden: 16, labels: L, layers: 3 as const, seed: 5 };

/** Largest |a − b| relative to the largest |b| (gradients span orders of magnitude across layers). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 1e-6;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('WebAssembly row kernels', () => {
  it('dense: strided A (plain, transposed, broadcast), accumulate, bias, ReLU and mask', () => {
    const k = createGemmKernels(8)!;
    expect(k).not.toBeNull();
    k.mem.grow(1);
    const f = new Float32Array(k.mem.buffer);
    const r = seededRandom(3);
    const A = Array.from({ length: 6 }, () => r() * 2 - 1); // [2, 3]
    const B = Array.from({ length: 24 }, () => r() * 2 - 1); // [3, 8]
    const bias = Array.from({ length: 8 }, () => r() - 0.5);
    const mask = Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    f.set(A, 16);
    f.set(B, 32);
    f.set(bias, 64);
    f.set(mask, 80);
    const ab = (i: number, j: number): number => A[i * 3] * B[j] + A[i * 3 + 1] * B[8 + j] + A[i * 3 + 2] * B[16 + j];
    k.dense(64, 12, 4, 128, 384, 2, 3, 0, 256, 1, 320);
    expect(Array.from(f.subarray(96, 112))).toEqual(Array.from({ length: 16 }, (_, x) => expect.closeTo(mask[x] ? Math.max(0, ab(Math.floor(x / 8), x % 8) + bias[x % 8]) : 0, 5)));
    // Aᵀ · B' with B' = C's two rows: out[3, 8] accumulated onto itself (init)
    f.fill(1, 128, 152);
    const C = Array.from(f.subarray(96, 112));
    k.dense(64, 4, 12, 384, 512, 3, 2, 1, 0, 0, 0);
    expect(Array.from(f.subarray(128, 152))).toEqual(Array.from({ length: 24 }, (_, x) => expect.closeTo(1 + A[Math.floor(x / 8)] * C[x % 8] + A[3 + Math.floor(x / 8)] * C[8 + (x % 8)], 5)));
  });

  it('agrees with plain loops for several widths and panel splits, dense and sparse, with and without FMA', () => {
    const R = 5;
    const K = 7;
    for (const [width, panel, fma] of [[32, undefined, true], [32, 8, true], [12, undefined, true], [8, 1, true], [32, undefined, false]] as const) {
      const k = createGemmKernels(width, panel, fma)!;
      k.mem.grow(2);
      const r = seededRandom(width + (panel ?? 0));
      const rnd = (n: number): number[] => Array.from({ length: n }, () => r() * 2 - 1);
      const [A, B, bias, mask] = [rnd(R * K), rnd(K * width), rnd(width), rnd(R * width)];
      const at = { a: 1024, b: 4096, bias: 8192, mask: 9216, c: 12288, rowPtr: 16384, col: 16448, val: 16640 };
      const f = new Float32Array(k.mem.buffer);
      f.set(A, at.a / 4);
      f.set(B, at.b / 4);
      f.set(bias, at.bias / 4);
      f.set(mask, at.mask / 4);
      k.dense(at.a, K * 4, 4, at.b, at.c, R, K, 0, at.bias, 1, at.mask);
      const want = (i: number, j: number): number => {
        let s = bias[j];
        for (let q = 0; q < K; q++) s += A[i * K + q] * B[q * width + j];
        return mask[i * width + j] > 0 ? Math.max(0, s) : 0;
      };
      expect(Array.from(f.subarray(at.c / 4, at.c / 4 + R * width)), `dense ${width}/${panel}`).toEqual(Array.from({ length: R * width }, (_, x) => expect.closeTo(want(Math.floor(x / width), x % width), 5)));
      // sparse: row i sums val · B[col] over its entries (row 1 empty)
      const rowPtr = [0, 2, 2, 5];
      const col = [0, 6, 1, 1, 3];
      const val = rnd(5);
      new Int32Array(k.mem.buffer, at.rowPtr, 4).set(rowPtr);
      new Int32Array(k.mem.buffer, at.col, 5).set(col);
      f.set(val, at.val / 4);
      k.sparse(at.rowPtr, at.col, at.val, at.b, at.c, 3, 0, 0, 0);
      const sp = (i: number, j: number): number => {
        let s = 0;
        for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) s += val[e] * B[col[e] * width + j];
        return s;
      };
      expect(Array.from(f.subarray(at.c / 4, at.c / 4 + 3 * width)), `sparse ${width}/${panel}`).toEqual(Array.from({ length: 3 * width }, (_, x) => expect.closeTo(sp(Math.floor(x / width), x % width), 5)));
    }
  });
});

describe('fused GCN against the tfjs reference', () => {
  it('gives the same embeddings, loss and gradients on the same batch', () => {
    const model = new GcnModel(config);
    const graphs = prepared.slice(0, 24);
    const b = collate(graphs, 40, L);
    const { value, grads } = tf.variableGrads(() => model.loss(b));
    const ref = model.embed(b);
    const fused = FusedGcn.create(config)!;
    fused.setWeights(model.snapshot());
    fused.load(graphs);
    expect(relErr(fused.embed(), ref.dataSync())).toBeLessThan(1e-5);
    expect(fused.lossAndGrad()).toBeCloseTo(value.dataSync()[0], 5);
    for (const n of PARAM_NAMES) {
      const g = grads[model.params[n].name].dataSync();
      expect(relErr(fused.grad(n), g), n).toBeLessThan(1e-4);
      expect(g.some((v) => v !== 0), n).toBe(true);
    }
    tf.dispose([value, ref, ...Object.values(grads)]);
    model.dispose();
  });

  it('serves embedGraphs: the same embeddings as GcnModel.embed, across batch boundaries', () => {
    const model = new GcnModel(config);
    const graphs = prepared.slice(0, 21);
    const ours = embedGraphs({ gcn: model, hashing: SEED.hashing }, graphs, 8);
    const ref = model.embed(collate(graphs, 40, L));
    expect(relErr(ours, ref.dataSync())).toBeLessThan(1e-5);
    ref.dispose();
    model.dispose();
  });

  it('takes the same Adam steps as tf.train.adam', () => {
    const model = new GcnModel(config);
    const fused = FusedGcn.create(config)!;
    fused.setWeights(model.snapshot());
    const opt = tf.train.adam(0.01);
    const adam = new Adam(PARAM_NAMES.map((n) => model.params[n].size), 0.01);
    for (let s = 0; s < 3; s++) {
      const graphs = prepared.slice(s * 16, s * 16 + 16);
      const b = collate(graphs, 40, L);
      opt.minimize(() => model.loss(b), true)?.dispose();
      fused.load(graphs);
      fused.lossAndGrad();
      adam.step(PARAM_NAMES.map((n) => fused.param(n)), PARAM_NAMES.map((n) => fused.grad(n)));
    }
    const ref = model.snapshot();
    const ours = fused.weights();
    for (const n of PARAM_NAMES) expect(relErr(ours[n], ref[n]), n).toBeLessThan(1e-3);
    opt.dispose();
    model.dispose();
  });

  it('has gradients that match finite differences of its own loss', () => {
    const fused = FusedGcn.create({ ...config, hidden: 8 })!;
    const model = new GcnModel({ ...config, hidden: 8 });
    fused.setWeights(model.snapshot());
    model.dispose();
    fused.load(prepared.slice(0, 6));
    fused.lossAndGrad();
    const eps = 1e-2;
    for (const n of ['w1', 'b2', 'w3', 'wo'] as const) {
      const analytic = fused.grad(n).slice();
      const w = fused.param(n);
      for (const i of [0, 3, w.length - 1]) {
        const keep = w[i];
        w[i] = keep + eps;
        const up = fused.lossAndGrad();
        w[i] = keep - eps;
        const down = fused.lossAndGrad();
        w[i] = keep;
        expect(analytic[i], `${n}[${i}]`).toBeCloseTo((up - down) / (2 * eps), 3);
      }
    }
  });
});
