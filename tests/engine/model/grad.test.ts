import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/engine/model/backend.ts';
import { collate } from '../../../src/engine/model/batch.ts';
import { prepareGraph } from '../../../src/engine/model/graph-data.ts';
import { linear, meanPool, propagate } from '../../../src/engine/model/ops.ts';
import { seededRandom } from '../../../src/engine/model/rng.ts';
import { star } from './helpers.ts';

const F = 4;
const batch = (() => {
  const a = prepareGraph(star(), { dim: F, tokens: 'whole' });
  const b = prepareGraph({ ...star(), src: Int32Array.from([0, 1, 2]), dst: Int32Array.from([1, 2, 3]), weight: Float32Array.from([1, 3, 1]) }, { dim: F, tokens: 'whole' });
  return collate([a, b], F, 1);
})();

/** Central finite differences of the scalar f at every entry of x (float64 arithmetic in f's inputs is not available, so ε is large). */
function numericGrad(f: (x: Float32Array) => number, x: Float32Array, eps = 1e-2): Float32Array {
  const g = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const keep = x[i];
    x[i] = keep + eps;
    const up = f(x);
    x[i] = keep - eps;
    const down = f(x);
    x[i] = keep;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

const randomArray = (n: number, seed: number): Float32Array => {
  const r = seededRandom(seed);
  // keep values away from ReLU's kink so finite differences do not straddle it
  return Float32Array.from({ length: n }, () => (r() < 0.5 ? -1 : 1) * (0.2 + r()));
};

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('custom ops: gradients match finite differences', () => {
  const N = batch.nodes;
  // A fixed random projection turns each op's output into a scalar loss. Both ops are linear, so
  // finite differences are exact up to float32 rounding.
  const check = (name: string, op: (m: tf.Tensor2D) => tf.Tensor, outRows: number) => {
    it(name, () => {
      const m0 = randomArray(N * F, 1);
      const proj = tf.tensor2d(randomArray(outRows * F, 3), [outRows, F]);
      const loss = (m: tf.Tensor2D): tf.Scalar => tf.sum(tf.mul(op(m), proj));
      const gm = tf.grad((m) => loss(m as tf.Tensor2D))(tf.tensor2d(m0, [N, F]));
      const f = (m: Float32Array): number => tf.tidy(() => loss(tf.tensor2d(m, [N, F])).dataSync()[0]);
      const nm = numericGrad(f, m0);
      expect(Array.from(gm.dataSync())).toEqual(Array.from(nm).map((v) => expect.closeTo(v, 2)));
      expect(Array.from(gm.dataSync()).some((v) => Math.abs(v) > 1e-3)).toBe(true);
      tf.dispose([gm, proj]);
    });
  };
  check('propagate (Â·M)', (m) => propagate(batch, m), N);
  check('meanPool', (m) => meanPool(batch, m), batch.graphs);
  check('a whole GCN layer: relu(Â·M + b), pooled', (m) => meanPool(batch, tf.relu(tf.add(propagate(batch, m), tf.tensor1d([0.3, -0.2, 0.1, 0.05]))) as tf.Tensor2D), batch.graphs);

  it('linear (explicit-transpose gradient)', () => {
    const x0 = randomArray(N * F, 4);
    const w0 = randomArray(F * 3, 5);
    const proj = tf.tensor2d(randomArray(N * 3, 6), [N, 3]);
    const loss = (x: tf.Tensor2D, w: tf.Tensor2D): tf.Scalar => tf.sum(tf.mul(linear(x, w), proj));
    const [gx, gw] = tf.grads((x, w) => loss(x as tf.Tensor2D, w as tf.Tensor2D))([tf.tensor2d(x0, [N, F]), tf.tensor2d(w0, [F, 3])]);
    const f = (x: Float32Array, w: Float32Array): number => tf.tidy(() => loss(tf.tensor2d(x, [N, F]), tf.tensor2d(w, [F, 3])).dataSync()[0]);
    expect(Array.from(gx.dataSync())).toEqual(Array.from(numericGrad((x) => f(x, w0), x0)).map((v) => expect.closeTo(v, 2)));
    expect(Array.from(gw.dataSync())).toEqual(Array.from(numericGrad((w) => f(x0, w), w0)).map((v) => expect.closeTo(v, 2)));
    tf.dispose([gx, gw, proj]);
  });
});

describe('WebAssembly SIMD kernel', () => {
  it('computes the same Â·M as the JS loop, accumulating into out', async () => {
    const { WasmSpmm } = await import('../../../src/engine/model/spmm-wasm.ts');
    const { spmmJs } = await import('../../../src/engine/model/ops.ts');
    const k = WasmSpmm.create();
    expect(k).not.toBeNull();
    for (const f of [4, 64]) {
      const m = randomArray(batch.nodes * f, 9);
      const a = new Float32Array(batch.nodes * f).fill(0.25);
      const b = a.slice();
      spmmJs(batch, m, f, a);
      k!.run(batch, m, f, b);
      expect(Array.from(b)).toEqual(Array.from(a).map((v) => expect.closeTo(v, 5)));
      expect(a.some((v) => v !== 0.25)).toBe(true);
    }
  });
});
