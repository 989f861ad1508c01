import { Rng } from './iforest/rng.ts';
import { decodeF64, decodeI32, encodeTyped } from './iforest/codec.ts';
import { averagePathLength, thresholdFor, type Matrix } from './iforest/matrix.ts';

export { averagePathLength, thresholdFor, toMatrix, type Matrix } from './iforest/matrix.ts';

/**
 * Isolation Forest (Liu, Ting & Zhou, 2008) over a dense row-major matrix.
 *
 * Shapes: data: [rows * dims] (Float32Array or Float64Array, row-major) → scores: [rows] in (0, 1].
 * s(x) = 2^(−E[h(x)] / c(ψ)), where h is the path length in one tree (plus c(size) at a leaf that
 * still holds `size` > 1 samples) and ψ the sub-sample size.
 *
 * Each tree is stored as a complete binary tree of the depth limit D = ⌈log2 ψ⌉, in heap order
 * (children of p at 2p+1, 2p+2), all trees in one set of typed arrays. A leaf reached before depth
 * D is padded: the nodes below it get split +∞, so every walk goes left down to the bottom row,
 * where `leaf` holds depth + c(size). Every walk is then exactly D compare-and-step moves with no
 * branch, which lets scoring walk four rows in lockstep: the CPU overlaps their dependent loads,
 * and that, not the arithmetic, is what bounds tree scoring (measured ~3.5× over a pointer walk).
 */
export interface IForestOptions {
  /** Number of trees (100, as in the paper and scikit-learn). */
  trees?: number;
  /** Sub-sample size ψ per tree (256). */
  sampleSize?: number;
  /** Expected share of anomalies; sets `threshold` from the training scores (0.005). */
  contamination?: number;
  seed?: number;
}

export interface IForestJSON {
  kind: 'gumshoe-iforest';
  version: 1;
  dims: number;
  trees: number;
  sampleSize: number;
  contamination: number;
  seed: number;
  threshold: number;
  depth: number;
  /** Base64 of little-endian typed arrays (see IsolationForest's layout). */
  feature: string;
  split: string;
  leaf: string;
}

export class IsolationForest {
  /** Score at or above which a row is flagged (from `contamination` over the training rows). */
  threshold: number;
  private readonly inner: number;
  private readonly leaves: number;

  private constructor(
    readonly dims: number,
    readonly trees: number,
    /** ψ actually used: min(requested, rows). */
    readonly sampleSize: number,
    readonly contamination: number,
    readonly seed: number,
    /** Depth limit D; each tree has 2^D − 1 inner slots and 2^D leaf slots. */
    readonly depth: number,
    private readonly feature: Int32Array,
    /** +∞ marks padding below an early leaf. */
    private readonly split: Float64Array,
    /** depth + c(size) of the leaf a walk ends at. */
    private readonly leaf: Float64Array,
    threshold: number,
  ) {
    this.threshold = threshold;
    this.leaves = 1 << depth;
    this.inner = this.leaves - 1;
  }

  static fit(x: Matrix, opts: IForestOptions = {}): IsolationForest {
    return IsolationForest.fitAndScore(x, opts).forest;
  }

  /**
   * Fits and returns the training rows' scores too: the threshold needs them anyway, and the
   * hunt usually scores the very rows it fitted on, so this saves scoring them twice.
   * With contamination 0 nothing is scored (and `scores` is empty): no threshold is needed.
   */
  static fitAndScore(x: Matrix, opts: IForestOptions = {}): { forest: IsolationForest; scores: Float64Array } {
    const trees = opts.trees ?? 100;
    const contamination = opts.contamination ?? 0.005;
    const seed = opts.seed ?? 1;
    if (x.rows < 1 || x.dims < 1) throw new Error('Isolation Forest needs at least one row and one column');
    if (!(contamination >= 0 && contamination < 0.5)) throw new Error('contamination must be in [0, 0.5)');
    if (!(trees >= 1)) throw new Error('Isolation Forest needs at least one tree');
    const psi = Math.min(opts.sampleSize ?? 256, x.rows);
    const depth = Math.ceil(Math.log2(Math.max(psi, 2)));
    const leaves = 1 << depth;
    const inner = leaves - 1;
    const feature = new Int32Array(trees * inner);
    const split = new Float64Array(trees * inner).fill(Infinity);
    const leaf = new Float64Array(trees * leaves);
    const rng = new Rng(seed);
    // One permutation reused across trees: a partial Fisher–Yates from any permutation still
    // draws a uniform sample without replacement, and avoids an O(rows) reset per tree.
    const perm = new Int32Array(x.rows);
    for (let i = 0; i < x.rows; i++) perm[i] = i;
    const idx = new Int32Array(psi);
    const { data, dims } = x;

    const setLeaf = (t: number, pos: number, d: number, size: number): void => {
      let p = pos;
      for (let k = d; k < depth; k++) p = 2 * p + 1;
      leaf[t * leaves + p - inner] = d + averagePathLength(size);
    };
    const build = (t: number, lo: number, hi: number, pos: number, d: number): void => {
      const size = hi - lo;
      if (d >= depth || size <= 1) return setLeaf(t, pos, d, size);
      // A constant feature cannot split; try others before giving up, as a real split exists
      // whenever the rows differ anywhere.
      for (let attempt = 0; attempt < dims; attempt++) {
        const f = rng.int(dims);
        let min = Infinity;
        let max = -Infinity;
        for (let i = lo; i < hi; i++) {
          const v = data[idx[i] * dims + f];
          if (v < min) min = v;
          if (v > max) max = v;
        }
        if (!(max > min)) continue;
        let cut = min + rng.next() * (max - min);
        if (cut <= min) cut = max; // the rounding edge: keep both sides non-empty
        let mid = lo;
        for (let i = lo; i < hi; i++) {
          if (data[idx[i] * dims + f] < cut) {
            const tmp = idx[i];
            idx[i] = idx[mid];
            idx[mid++] = tmp;
          }
        }
        feature[t * inner + pos] = f;
        split[t * inner + pos] = cut;
        build(t, lo, mid, 2 * pos + 1, d + 1);
        build(t, mid, hi, 2 * pos + 2, d + 1);
        return;
      }
      setLeaf(t, pos, d, size);
    };

    for (let t = 0; t < trees; t++) {
      for (let i = 0; i < psi; i++) {
        const j = i + rng.int(x.rows - i);
        const tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
        idx[i] = perm[i];
      }
      build(t, 0, psi, 0, 0);
    }
    const forest = new IsolationForest(dims, trees, psi, contamination, seed, depth, feature, split, leaf, Infinity);
    if (contamination === 0) return { forest, scores: new Float64Array(0) };
    const scores = forest.score(x);
    forest.threshold = thresholdFor(scores, contamination);
    return { forest, scores };
  }

  /** Scores every row: [rows] in (0, 1]; higher is more anomalous. */
  score(x: Matrix, out = new Float64Array(x.rows)): Float64Array {
    this.checkDims(x.dims);
    const { data, dims, rows } = x;
    const { feature: fe, split: sp, leaf: lf, trees, depth: D, inner: I, leaves: L } = this;
    const norm = -1 / (trees * averagePathLength(this.sampleSize) || 1);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const b0 = r * dims;
      const b1 = b0 + dims;
      const b2 = b1 + dims;
      const b3 = b2 + dims;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0, o = 0, lo = -I; t < trees; t++, o += I, lo += L) {
        let p0 = 0;
        let p1 = 0;
        let p2 = 0;
        let p3 = 0;
        for (let d = 0; d < D; d++) {
          // Unary plus turns the comparison into 0/1 without a branch.
          p0 = 2 * p0 + 1 + +(data[b0 + fe[o + p0]] >= sp[o + p0]);
          p1 = 2 * p1 + 1 + +(data[b1 + fe[o + p1]] >= sp[o + p1]);
          p2 = 2 * p2 + 1 + +(data[b2 + fe[o + p2]] >= sp[o + p2]);
          p3 = 2 * p3 + 1 + +(data[b3 + fe[o + p3]] >= sp[o + p3]);
        }
        s0 += lf[lo + p0];
        s1 += lf[lo + p1];
        s2 += lf[lo + p2];
        s3 += lf[lo + p3];
      }
      out[r] = Math.pow(2, s0 * norm);
      out[r + 1] = Math.pow(2, s1 * norm);
      out[r + 2] = Math.pow(2, s2 * norm);
      out[r + 3] = Math.pow(2, s3 * norm);
    }
    for (; r < rows; r++) {
      const b = r * dims;
      let s = 0;
      for (let t = 0, o = 0, lo = -I; t < trees; t++, o += I, lo += L) {
        let p = 0;
        for (let d = 0; d < D; d++) p = 2 * p + 1 + +(data[b + fe[o + p]] >= sp[o + p]);
        s += lf[lo + p];
      }
      out[r] = Math.pow(2, s * norm);
    }
    return out;
  }

  /** Score of a single row. */
  scoreRow(row: ArrayLike<number>): number {
    return this.score({ data: Float64Array.from(row), rows: 1, dims: row.length })[0];
  }

  /** 1 where score ≥ threshold. */
  flag(scores: Float64Array): Uint8Array {
    const out = new Uint8Array(scores.length);
    for (let i = 0; i < scores.length; i++) out[i] = scores[i] >= this.threshold ? 1 : 0;
    return out;
  }

  /**
   * Per-feature share of the isolation path: for each tree, the splits on feature f along the
   * row's path divided by that path's length (leaf correction included), averaged over trees.
   * Sums to at most 1; a feature that isolates the row early and often gets a large share. Cheap
   * (one extra walk per tree), which is why it is offered rather than a Shapley estimate.
   */
  contributions(row: ArrayLike<number>): Float64Array {
    this.checkDims(row.length);
    const out = new Float64Array(this.dims);
    const counts = new Float64Array(this.dims);
    const { feature, split, leaf, inner, leaves } = this;
    for (let t = 0; t < this.trees; t++) {
      counts.fill(0);
      let p = 0;
      for (let d = 0; d < this.depth; d++) {
        const n = t * inner + p;
        const real = split[n] !== Infinity;
        if (real) counts[feature[n]]++;
        p = 2 * p + 1 + (real && row[feature[n]] >= split[n] ? 1 : 0);
      }
      const h = leaf[t * leaves + p - inner];
      if (h <= 0) continue;
      for (let f = 0; f < this.dims; f++) out[f] += counts[f] / h;
    }
    for (let f = 0; f < this.dims; f++) out[f] /= this.trees;
    return out;
  }

  toJSON(): IForestJSON {
    return {
      kind: 'gumshoe-iforest',
      version: 1,
      dims: this.dims,
      trees: this.trees,
      sampleSize: this.sampleSize,
      contamination: this.contamination,
      seed: this.seed,
      threshold: this.threshold,
      depth: this.depth,
      feature: encodeTyped(this.feature),
      split: encodeTyped(this.split),
      leaf: encodeTyped(this.leaf),
    };
  }

  static fromJSON(j: IForestJSON): IsolationForest {
    if (j.kind !== 'gumshoe-iforest' || j.version !== 1) throw new Error('not a Gumshoe Isolation Forest (version 1)');
    const feature = decodeI32(j.feature);
    const split = decodeF64(j.split);
    const leaf = decodeF64(j.leaf);
    const leaves = 2 ** j.depth;
    if (!(j.depth >= 1 && j.depth <= 24) || feature.length !== j.trees * (leaves - 1) || split.length !== feature.length || leaf.length !== j.trees * leaves) {
      throw new Error('Isolation Forest arrays do not match its trees and depth');
    }
    // Scoring indexes rows by these without bounds checks of its own.
    for (const f of feature) if (f < 0 || f >= j.dims) throw new Error('Isolation Forest names a feature outside its columns');
    return new IsolationForest(j.dims, j.trees, j.sampleSize, j.contamination, j.seed, j.depth, feature, split, leaf, j.threshold);
  }

  private checkDims(d: number): void {
    if (d !== this.dims) throw new Error(`forest was fitted on ${this.dims} columns, got ${d}`);
  }
}
