import { nodeFeatures } from '../sessions/features.ts';
import { NODE_TYPES, type HashingConfig, type NodeType } from '../sessions/presets.ts';

/** The parts of a session graph the model reads (a stored StoredSessionGraph satisfies it). */
export interface GraphInput {
  nodeTypes: Uint8Array;
  nodeLabels: readonly string[];
  src: Int32Array;
  dst: Int32Array;
  weight: Float32Array;
  labelMask: number;
}

/**
 * A graph ready for the GCN: the symmetric-normalized adjacency with self-loops in CSR,
 *   Â = D^-1/2 (A + I) D^-1/2,  A_ij = 1 + ln(count_ij)  (so one event weighs 1 and a chatty
 *   pair does not drown the rest), D_ii = Σ_j (A + I)_ij,
 * and the first propagation ÂX already applied: X never changes, so layer 1's sparse product is
 * paid once per graph instead of once per step.
 */
export interface PreparedGraph {
  n: number;
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float32Array;
  /** ÂX, row-major [n, dim]. */
  ax: Float32Array;
  labelMask: number;
  /** The single-label objective's class ('actor': objective.ts); the verbs come from labelMask. */
  target?: number;
}

/** CSR of Â for one graph (rows sorted, self-loop included). */
export function normalizedAdjacency(n: number, src: Int32Array, dst: Int32Array, weight: Float32Array): { rowPtr: Int32Array; col: Int32Array; val: Float32Array } {
  const deg = new Float64Array(n).fill(1);
  const cnt = new Int32Array(n + 1);
  const w = new Float64Array(src.length);
  for (let e = 0; e < src.length; e++) {
    w[e] = 1 + Math.log(Math.max(1, weight[e]));
    deg[src[e]] += w[e];
    deg[dst[e]] += w[e];
    cnt[src[e] + 1]++;
    cnt[dst[e] + 1]++;
  }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + cnt[i + 1] + 1;
  const col = new Int32Array(rowPtr[n]);
  const val = new Float32Array(rowPtr[n]);
  const fill = rowPtr.slice(0, n);
  const dinv = deg.map((d) => 1 / Math.sqrt(d));
  for (let i = 0; i < n; i++) {
    col[fill[i]] = i;
    val[fill[i]++] = dinv[i] * dinv[i];
  }
  for (let e = 0; e < src.length; e++) {
    const a = src[e];
    const b = dst[e];
    const v = w[e] * dinv[a] * dinv[b];
    col[fill[a]] = b;
    val[fill[a]++] = v;
    col[fill[b]] = a;
    val[fill[b]++] = v;
  }
  return { rowPtr, col, val };
}

/** out[rows, f] = Â · x[rows, f] for one CSR block (typed arrays, no allocation). */
export function spmm(rowPtr: Int32Array, col: Int32Array, val: Float32Array, x: Float32Array, f: number, out: Float32Array, outOffset = 0, colOffset = 0): void {
  const n = rowPtr.length - 1;
  for (let i = 0; i < n; i++) {
    const o = outOffset + i * f;
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
      const v = val[k];
      const s = (col[k] + colOffset) * f;
      for (let j = 0; j < f; j++) out[o + j] += v * x[s + j];
    }
  }
}

/**
 * `hidden` node types keep their place in the graph (so Â, and every other node's degree, is what
 * it was) but get all-zero features: the objective (objective.ts) must not read them.
 */
export function prepareGraph(g: GraphInput, hashing: HashingConfig, hidden: readonly NodeType[] = []): PreparedGraph {
  const n = g.nodeLabels.length;
  const { rowPtr, col, val } = normalizedAdjacency(n, g.src, g.dst, g.weight);
  const x = nodeFeatures(g.nodeTypes, g.nodeLabels, hashing);
  if (hidden.length) {
    const codes = new Set(hidden.map((t) => NODE_TYPES.indexOf(t)));
    for (let i = 0; i < n; i++) if (codes.has(g.nodeTypes[i])) x.fill(0, i * hashing.dim, (i + 1) * hashing.dim);
  }
  const ax = new Float32Array(n * hashing.dim);
  spmm(rowPtr, col, val, x, hashing.dim, ax);
  return { n, rowPtr, col, val, ax, labelMask: g.labelMask };
}
