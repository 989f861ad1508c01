import * as tf from '@tensorflow/tfjs';
import type { Batch } from './batch.ts';
import { WasmSpmm } from './spmm-wasm.ts';

// One per thread (module state is per worker); null where WebAssembly SIMD is missing.
const kernel = WasmSpmm.create();

/**
 * The GCN's sparse parts as custom ops with hand-written gradients, computed in typed arrays.
 * tfjs has no sparse-dense product, and its segment sums are missing on wasm and O(segments ×
 * rows) on cpu; a CSR loop is linear in the edges.
 *
 * Â is symmetric, so the gradient of Â·M with respect to M is Â·dOut: the same loop serves the
 * forward and backward passes.
 */

/**
 * Â · m into a new array, by the WebAssembly SIMD kernel (~4× the JS loop on 13K-node batches,
 * copies included) where it loads. f is a multiple of 4, checked by the model.
 */
function spmmNew(b: Batch, m: Float32Array, f: number): Float32Array {
  if (kernel) return kernel.product(b, m, f);
  const out = new Float32Array(b.nodes * f);
  spmmJs(b, m, f, out);
  return out;
}

/** The same product in plain JS: the fallback, and the reference the kernel is tested against. */
export function spmmJs(b: Batch, m: Float32Array, f: number, out: Float32Array): void {
  const { rowPtr, col, val } = b;
  for (let i = 0; i < b.nodes; i++) {
    const o = i * f;
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
      const v = val[k];
      const s = col[k] * f;
      for (let j = 0; j < f; j += 4) {
        out[o + j] += v * m[s + j];
        out[o + j + 1] += v * m[s + j + 1];
        out[o + j + 2] += v * m[s + j + 2];
        out[o + j + 3] += v * m[s + j + 3];
      }
    }
  }
}

/**
 * x · w with a gradient that transposes explicitly: tfjs-wasm's matMul with transpose flags
 * misses its XNNPACK path and measured ~10× slower (132 ms vs 14 ms at [13K, 64] × [64, 64]).
 *
 * Shapes: x: [N, K], w: [K, M] → [N, M]; dX = dY · wᵀ, dW = xᵀ · dY.
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D | tf.Variable): tf.Tensor2D {
  const op = tf.customGrad((xIn, wIn, save) => {
    (save as (t: tf.Tensor[]) => void)([xIn as tf.Tensor, wIn as tf.Tensor]);
    return {
      value: tf.matMul(xIn as tf.Tensor2D, wIn as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D)];
      },
    };
  });
  return op(x, w) as tf.Tensor2D;
}

/**
 * One GCN propagation: Y = Â · M. Bias and ReLU stay in tfjs (SIMD kernels on wasm, and their
 * gradients come for free); only the sparse product is ours.
 *
 * Shapes: m: [N, F] → [N, F]. Gradient: dM = Âᵀ·dY = Â·dY (Â is symmetric).
 */
export function propagate(batch: Batch, m: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((mIn) => {
    const f = (mIn as tf.Tensor2D).shape[1];
    return {
      value: tf.tensor2d(spmmNew(batch, (mIn as tf.Tensor).dataSync() as Float32Array, f), [batch.nodes, f]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [tf.tensor2d(spmmNew(batch, (dy as tf.Tensor).dataSync() as Float32Array, f), [batch.nodes, f])],
    };
  });
  return op(m) as tf.Tensor2D;
}

/**
 * Global mean pool over each graph's (contiguous) nodes: E_g = mean_{i ∈ g} H_i.
 *
 * Shapes: h: [N, F] → [G, F]. Gradient: dH_i = dE_{g(i)} / n_g.
 */
export function meanPool(batch: Batch, h: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((hIn) => {
    const f = (hIn as tf.Tensor2D).shape[1];
    return {
      value: tf.tensor2d(meanPoolArrays(batch, (hIn as tf.Tensor).dataSync() as Float32Array, f), [batch.graphs, f]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const de = (dy as tf.Tensor).dataSync();
        const dh = new Float32Array(batch.nodes * f);
        for (let g = 0; g < batch.graphs; g++) {
          const a = batch.graphPtr[g];
          const z = batch.graphPtr[g + 1];
          for (let j = 0; j < f; j++) {
            const v = de[g * f + j] / (z - a);
            for (let i = a; i < z; i++) dh[i * f + j] = v;
          }
        }
        return [tf.tensor2d(dh, [batch.nodes, f])];
      },
    };
  });
  return op(h) as tf.Tensor2D;
}

/** Mean of each graph's rows of h [N, F] → [G, F]; an empty graph pools to zeros. */
export function meanPoolArrays(batch: Batch, h: Float32Array, f: number): Float32Array {
  const out = new Float32Array(batch.graphs * f);
  for (let g = 0; g < batch.graphs; g++) {
    const a = batch.graphPtr[g];
    const z = batch.graphPtr[g + 1];
    if (z === a) continue;
    for (let i = a; i < z; i++) for (let j = 0; j < f; j++) out[g * f + j] += h[i * f + j];
    for (let j = 0; j < f; j++) out[g * f + j] /= z - a;
  }
  return out;
}
