import * as tf from '@tensorflow/tfjs';
import type { Batch } from './batch.ts';
import { WasmSpmm } from './spmm-wasm.ts';

// One per thread (module state is per worker); null where WebAssembly SIMD is missing.
const kernel = WasmSpmm.create();

/**
 * The GCN's sparse parts as custom ops with hand-written gradients, computed in typed arrays.
 * tfjs has no sparse-dense product, and its segment sums are missing on wasm and O(segments ×
 * rows) on cpu; a CSR loop is linear in the edges. Both ops fuse bias and ReLU so that a layer is
 * one matMul (tfjs, SIMD on wasm) and one of these.
 *
 * Â is symmetric, so the gradient of Â·M with respect to M is Â·dOut: the same loop serves the
 * forward and backward passes.
 */

/**
 * out += Â · m, by the WebAssembly SIMD kernel (~4× the JS loop on 13K-node batches, copies
 * included). f is a multiple of 4, checked by the model; the JS loop is unrolled by four too.
 */
function spmmInto(b: Batch, m: Float32Array, f: number, out: Float32Array): void {
  if (kernel) return kernel.run(b, m, f, out);
  spmmJs(b, m, f, out);
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

/** out = relu?(Â · m + bias). */
function propagateInto(b: Batch, m: Float32Array, bias: Float32Array, f: number, relu: boolean, out: Float32Array): void {
  for (let i = 0; i < out.length; i += f) out.set(bias, i);
  spmmInto(b, m, f, out);
  if (relu) for (let i = 0; i < out.length; i++) if (out[i] < 0) out[i] = 0;
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
 * One GCN propagation with bias and optional ReLU: Y = σ(Â · M + b).
 *
 * Shapes: m: [N, F], bias: [F] → [N, F]. Gradients: dZ = dY ⊙ [Y > 0]; dM = Â·dZ; db = Σ_rows dZ.
 */
export function gcnPropagate(batch: Batch, m: tf.Tensor2D, bias: tf.Tensor1D, relu = true): tf.Tensor2D {
  const op = tf.customGrad((mIn, bIn) => {
    const f = (mIn as tf.Tensor2D).shape[1];
    // Kept by the closure for the ReLU mask: cheaper than saving a tensor and reading it back.
    const y = new Float32Array(batch.nodes * f);
    propagateInto(batch, (mIn as tf.Tensor).dataSync() as Float32Array, (bIn as tf.Tensor).dataSync() as Float32Array, f, relu, y);
    return {
      value: tf.tensor2d(y, [batch.nodes, f]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const dz = Float32Array.from((dy as tf.Tensor).dataSync());
        if (relu) for (let i = 0; i < dz.length; i++) if (y[i] <= 0) dz[i] = 0;
        const dm = new Float32Array(dz.length);
        spmmInto(batch, dz, f, dm);
        const db = new Float32Array(f);
        for (let i = 0; i < dz.length; i += f) for (let j = 0; j < f; j++) db[j] += dz[i + j];
        return [tf.tensor2d(dm, [batch.nodes, f]), tf.tensor1d(db)];
      },
    };
  });
  return op(m, bias) as tf.Tensor2D;
}

/**
 * The last GCN layer fused with the global mean pool: E_g = mean_{i ∈ g} relu(Â·M + b)_i.
 * Fusing keeps the [N, F] activation out of tfjs entirely (one copy less each way).
 *
 * Shapes: m: [N, F], bias: [F] → [G, F]. Gradients: dY_i = dE_{g(i)} / n_g, then as gcnPropagate.
 */
export function gcnPropagatePool(batch: Batch, m: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((mIn, bIn) => {
    const f = (mIn as tf.Tensor2D).shape[1];
    const y = new Float32Array(batch.nodes * f);
    propagateInto(batch, (mIn as tf.Tensor).dataSync() as Float32Array, (bIn as tf.Tensor).dataSync() as Float32Array, f, true, y);
    const pooled = meanPoolArrays(batch, y, f);
    return {
      value: tf.tensor2d(pooled, [batch.graphs, f]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const de = (dy as tf.Tensor).dataSync();
        const dz = new Float32Array(batch.nodes * f);
        for (let g = 0; g < batch.graphs; g++) {
          const n = batch.graphPtr[g + 1] - batch.graphPtr[g];
          if (n === 0) continue;
          for (let i = batch.graphPtr[g]; i < batch.graphPtr[g + 1]; i++) {
            for (let j = 0; j < f; j++) if (y[i * f + j] > 0) dz[i * f + j] = de[g * f + j] / n;
          }
        }
        const dm = new Float32Array(dz.length);
        spmmInto(batch, dz, f, dm);
        const db = new Float32Array(f);
        for (let i = 0; i < dz.length; i += f) for (let j = 0; j < f; j++) db[j] += dz[i + j];
        return [tf.tensor2d(dm, [batch.nodes, f]), tf.tensor1d(db)];
      },
    };
  });
  return op(m, bias) as tf.Tensor2D;
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
