import { createGemmKernels, type GemmKernels } from './gemm-wasm.ts';
import { PARAM_NAMES, type GcnConfig, type ParamName } from './gcn.ts';
import type { PreparedGraph } from './graph-data.ts';

/**
 * The GcnModel's forward and backward passes for a whole batch in one WebAssembly memory, by the
 * row kernels of gemm-wasm.ts, with buffers laid out once and reused from step to step: no tfjs
 * op, tensor, tape or per-step allocation on the hot path (those were ~60 % of a tfjs training
 * step at 13K-node batches). tfjs (GcnModel) stays the reference and the owner of the weights for
 * saving; tests/engine/model/fused.test.ts holds the two together.
 *
 *   H1 = relu(ÂX W1 + b1)  H2 = relu(Â (H1 W2) + b2)  H3 = relu(Â (H2 W3) + b3)
 *   E = meanpool_g(H3) [G, H]   Z = E Wo + bo [G, L]   loss = mean BCE(sigmoid(Z), Y)
 *
 * Backward (Â symmetric, M ⊙ [H > 0] the ReLU gradient, fused into the producing kernel):
 *   dZ3 = dH3 ⊙ [H3 > 0], dH3_i = dE_g(i) / n_g   db = Σ_rows dZ   dP = Â dZ
 *   dW3 = H2ᵀ dP3   dZ2 = (dP3 W3ᵀ) ⊙ [H2 > 0]   …   dW1 = (ÂX)ᵀ dZ1
 * The head (G × H × L, ~32K MACs) runs in plain JS.
 */

const ALIGN = 16;
const RESERVED = 64; // offset 0 means "none" to the kernels
// Rows of Hᵀ·dP accumulated per kernel call: both operands' chunks stay in L1 (2 × 16 KB at H 64).
const CHUNK = 64;

type Sizes = Record<ParamName, number>;

export class FusedGcn {
  private readonly k: GemmKernels;
  private readonly sizes: Sizes;
  private readonly paramOff = {} as Record<ParamName, number>;
  private readonly gradOff = {} as Record<ParamName, number>;
  private readonly oneOff: number;
  private readonly w2tOff: number;
  private readonly w3tOff: number;
  private readonly batchBase: number;
  private lay = { rowPtr: 0, col: 0, val: 0, ax: 0, h1: 0, h2: 0, h3: 0, p: 0, dz: 0, dp: 0, invN: 0, e: 0, de: 0 };
  /** Nodes and graphs of the loaded batch. */
  nodes = 0;
  graphs = 0;
  private graphPtr = new Int32Array(1);
  private y = new Float32Array(0);
  private z = new Float32Array(0);

  private constructor(readonly config: GcnConfig, k: GemmKernels) {
    this.k = k;
    const { inDim: F, hidden: H, labels: L } = config;
    this.sizes = { w1: F * H, b1: H, w2: H * H, b2: H, w3: H * H, b3: H, wo: H * L, bo: L };
    let off = RESERVED;
    const take = (floats: number): number => {
      const at = off;
      off += Math.ceil((floats * 4) / ALIGN) * ALIGN;
      return at;
    };
    this.oneOff = take(1);
    for (const n of PARAM_NAMES) this.paramOff[n] = take(this.sizes[n]);
    for (const n of PARAM_NAMES) this.gradOff[n] = take(this.sizes[n]);
    this.w2tOff = take(H * H);
    this.w3tOff = take(H * H);
    this.batchBase = off;
    this.reserve(off);
    this.f32(this.oneOff, 1)[0] = 1;
  }

  /** Null where WebAssembly SIMD is unavailable (callers then use the tfjs path). */
  static create(config: GcnConfig): FusedGcn | null {
    const k = createGemmKernels(config.hidden);
    return k ? new FusedGcn(config, k) : null;
  }

  private f32(off: number, len: number): Float32Array {
    return new Float32Array(this.k.mem.buffer, off, len);
  }

  private reserve(bytes: number): void {
    const have = this.k.mem.buffer.byteLength;
    if (bytes > have) this.k.mem.grow(Math.ceil((bytes - have) / 65536));
  }

  setWeights(w: Record<ParamName, Float32Array>): void {
    for (const n of PARAM_NAMES) {
      if (w[n].length !== this.sizes[n]) throw new Error(`weight ${n}: expected ${this.sizes[n]} values, got ${w[n].length}`);
      this.f32(this.paramOff[n], this.sizes[n]).set(w[n]);
    }
  }

  /** Views on the live weights and gradients (valid until the next load(), which may grow memory). */
  param(n: ParamName): Float32Array {
    return this.f32(this.paramOff[n], this.sizes[n]);
  }
  grad(n: ParamName): Float32Array {
    return this.f32(this.gradOff[n], this.sizes[n]);
  }

  weights(): Record<ParamName, Float32Array> {
    const out = {} as Record<ParamName, Float32Array>;
    for (const n of PARAM_NAMES) out[n] = this.param(n).slice();
    return out;
  }

  /** Copies a batch (the disjoint union of `graphs`) into the kernel memory. */
  load(graphs: readonly PreparedGraph[]): void {
    const { inDim: F, hidden: H, labels: L } = this.config;
    let n = 0;
    let nnz = 0;
    for (const g of graphs) {
      n += g.n;
      nnz += g.col.length;
    }
    const G = graphs.length;
    let off = this.batchBase;
    const take = (bytes: number): number => {
      const at = off;
      off += Math.ceil(bytes / ALIGN) * ALIGN;
      return at;
    };
    const l = this.lay;
    l.rowPtr = take((n + 1) * 4);
    l.col = take(nnz * 4);
    l.val = take(nnz * 4);
    l.ax = take(n * F * 4);
    for (const name of ['h1', 'h2', 'h3', 'p', 'dz', 'dp'] as const) l[name] = take(n * H * 4);
    l.invN = take(G * 4);
    l.e = take(G * H * 4);
    l.de = take(G * H * 4);
    this.reserve(off);
    const buf = this.k.mem.buffer;
    const rowPtr = new Int32Array(buf, l.rowPtr, n + 1);
    const col = new Int32Array(buf, l.col, nnz);
    const val = new Float32Array(buf, l.val, nnz);
    const ax = new Float32Array(buf, l.ax, n * F);
    const invN = new Float32Array(buf, l.invN, G);
    if (this.graphPtr.length < G + 1) this.graphPtr = new Int32Array(G + 1);
    if (this.y.length < G * L) {
      this.y = new Float32Array(G * L);
      this.z = new Float32Array(G * L);
    }
    this.y.fill(0, 0, G * L);
    let nodeBase = 0;
    let nzBase = 0;
    rowPtr[0] = 0;
    for (let gi = 0; gi < G; gi++) {
      const g = graphs[gi];
      for (let i = 0; i < g.n; i++) rowPtr[nodeBase + i + 1] = nzBase + g.rowPtr[i + 1];
      for (let k = 0; k < g.col.length; k++) col[nzBase + k] = g.col[k] + nodeBase;
      val.set(g.val, nzBase);
      ax.set(g.ax, nodeBase * F);
      invN[gi] = g.n ? 1 / g.n : 0;
      if (g.target !== undefined) this.y[gi * L + g.target] = 1;
      else for (let lb = 0; lb < L; lb++) if (g.labelMask & (1 << lb)) this.y[gi * L + lb] = 1;
      nodeBase += g.n;
      nzBase += g.col.length;
      this.graphPtr[gi + 1] = nodeBase;
    }
    this.graphPtr[0] = 0;
    this.nodes = n;
    this.graphs = G;
  }

  /** Layers 1–3 and the pool: E [G, H] of the loaded batch (a view, valid until the next load). */
  embed(): Float32Array {
    const { inDim: F, hidden: H } = this.config;
    const { dense, sparse } = this.k;
    const l = this.lay;
    const N = this.nodes;
    const rb = H * 4;
    const P = this.paramOff;
    dense(l.ax, F * 4, 4, P.w1, l.h1, N, F, 0, P.b1, 1, 0);
    dense(l.h1, rb, 4, P.w2, l.p, N, H, 0, 0, 0, 0);
    sparse(l.rowPtr, l.col, l.val, l.p, l.h2, N, P.b2, 1, 0);
    dense(l.h2, rb, 4, P.w3, l.p, N, H, 0, 0, 0, 0);
    sparse(l.rowPtr, l.col, l.val, l.p, l.h3, N, P.b3, 1, 0);
    for (let g = 0; g < this.graphs; g++) {
      const a = this.graphPtr[g];
      dense(l.invN + g * 4, 0, 0, l.h3 + a * rb, l.e + g * rb, 1, this.graphPtr[g + 1] - a, 0, 0, 0, 0);
    }
    return this.f32(l.e, this.graphs * H);
  }

  /** Head logits Z [G, L] of the loaded batch (forward pass included): verbs, or actor classes. */
  logits(): Float32Array {
    const { hidden: H, labels: L } = this.config;
    const e = this.embed();
    const wo = this.param('wo');
    const bo = this.param('bo');
    const z = this.z;
    for (let g = 0; g < this.graphs; g++) {
      for (let j = 0; j < L; j++) {
        let s = bo[j];
        for (let h = 0; h < H; h++) s += e[g * H + h] * wo[h * L + j];
        z[g * L + j] = s;
      }
    }
    return z.subarray(0, this.graphs * L);
  }

  /**
   * The objective's loss on the loaded batch and its gradient with respect to every parameter,
   * left in grad(name): mean sigmoid cross-entropy over graphs and labels for 'verbs' (as
   * tf.losses.sigmoidCrossEntropy), mean softmax cross-entropy over graphs for 'actor' (as
   * tf.losses.softmaxCrossEntropy).
   */
  lossAndGrad(): number {
    const { inDim: F, hidden: H, labels: L } = this.config;
    const { dense } = this.k;
    const G = this.graphs;
    const N = this.nodes;
    const rb = H * 4;
    const l = this.lay;
    const P = this.paramOff;
    const D = this.gradOff;
    const z = this.logits();
    const e = this.f32(l.e, G * H);
    const y = this.y;
    const loss = this.config.objective === 'actor' ? softmaxHead(z, y, G, L) : sigmoidHead(z, y, G, L);
    const wo = this.param('wo');
    const dwo = this.grad('wo').fill(0);
    const dbo = this.grad('bo').fill(0);
    const de = this.f32(l.de, G * H);
    for (let g = 0; g < G; g++) {
      for (let j = 0; j < L; j++) {
        const d = z[g * L + j];
        dbo[j] += d;
        for (let h = 0; h < H; h++) dwo[h * L + j] += e[g * H + h] * d;
      }
      for (let h = 0; h < H; h++) {
        let s = 0;
        for (let j = 0; j < L; j++) s += z[g * L + j] * wo[h * L + j];
        de[g * H + h] = s;
      }
    }
    // pool and layer 3's ReLU: dZ3_i = dE_g / n_g where H3_i > 0
    for (let g = 0; g < G; g++) {
      const a = this.graphPtr[g];
      dense(l.invN + g * 4, 0, 0, l.de + g * rb, l.dz + a * rb, this.graphPtr[g + 1] - a, 1, 0, 0, 0, l.h3 + a * rb);
    }
    this.transpose(P.w3, this.w3tOff);
    this.transpose(P.w2, this.w2tOff);
    this.layerBack(l.h2, H, D.w3, D.b3);
    dense(l.dp, rb, 4, this.w3tOff, l.dz, N, H, 0, 0, 0, l.h2);
    this.layerBack(l.h1, H, D.w2, D.b2);
    dense(l.dp, rb, 4, this.w2tOff, l.dz, N, H, 0, 0, 0, l.h1);
    // layer 1 multiplies the constant ÂX: no propagation, no input gradient
    this.colSum(l.dz, D.b1);
    this.outer(l.ax, F, l.dz, D.w1);
    return loss;
  }

  /** From dZ (in lay.dz): db = Σ rows, dP = Â dZ, dW = Hinᵀ dP. */
  private layerBack(hin: number, kin: number, dw: number, db: number): void {
    const l = this.lay;
    this.colSum(l.dz, db);
    this.k.sparse(l.rowPtr, l.col, l.val, l.dz, l.dp, this.nodes, 0, 0, 0);
    this.outer(hin, kin, l.dp, dw);
  }

  private colSum(m: number, out: number): void {
    this.k.dense(this.oneOff, 0, 0, m, out, 1, this.nodes, 0, 0, 0, 0);
  }

  /** out[kin, H] = Aᵀ · B over the batch's rows, A [N, kin], B [N, H], in L1-sized row chunks. */
  private outer(a: number, kin: number, b: number, out: number): void {
    const rb = this.config.hidden * 4;
    const N = this.nodes;
    if (N === 0) this.f32(out, kin * this.config.hidden).fill(0);
    for (let n0 = 0; n0 < N; n0 += CHUNK) {
      this.k.dense(a + n0 * kin * 4, 4, kin * 4, b + n0 * rb, out, kin, Math.min(CHUNK, N - n0), n0 > 0 ? 1 : 0, 0, 0, 0);
    }
  }

  private transpose(src: number, dst: number): void {
    const H = this.config.hidden;
    const s = this.f32(src, H * H);
    const d = this.f32(dst, H * H);
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) d[j * H + i] = s[i * H + j];
  }
}

/** Mean sigmoid BCE of logits z [G, L] against y; leaves dL/dZ = (σ(z) − y) / (G·L) in z. */
function sigmoidHead(z: Float32Array, y: Float32Array, G: number, L: number): number {
  let loss = 0;
  const scale = 1 / (G * L);
  for (let i = 0; i < G * L; i++) {
    const v = z[i];
    loss += Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v)));
    z[i] = (1 / (1 + Math.exp(-v)) - y[i]) * scale;
  }
  return loss * scale;
}

/** Mean softmax cross-entropy of logits z [G, L] against one-hot y; leaves dL/dZ = (softmax(z) − y) / G in z. */
function softmaxHead(z: Float32Array, y: Float32Array, G: number, L: number): number {
  let loss = 0;
  for (let g = 0; g < G; g++) {
    const o = g * L;
    let max = -Infinity;
    for (let j = 0; j < L; j++) max = Math.max(max, z[o + j]);
    let sum = 0;
    for (let j = 0; j < L; j++) sum += Math.exp(z[o + j] - max);
    const logSum = max + Math.log(sum);
    for (let j = 0; j < L; j++) {
      loss -= y[o + j] * (z[o + j] - logSum);
      z[o + j] = (Math.exp(z[o + j] - logSum) - y[o + j]) / G;
    }
  }
  return G ? loss / G : 0;
}
