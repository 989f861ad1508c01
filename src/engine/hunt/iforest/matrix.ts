/** Shared helpers of the Isolation Forest: the input shape, c(n), and the contamination cut. */
export interface Matrix {
  data: Float32Array | Float64Array;
  rows: number;
  dims: number;
}

const EULER_GAMMA = 0.5772156649015329;

/** c(n): the average path length of an unsuccessful search in a binary search tree of n keys. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** Wraps an array of rows into the matrix the forest reads (copies once). */
export function toMatrix(rows: ArrayLike<number>[]): Matrix {
  const dims = rows.length > 0 ? rows[0].length : 0;
  const data = new Float64Array(rows.length * dims);
  rows.forEach((r, i) => {
    if (r.length !== dims) throw new Error(`row ${i} has ${r.length} values, expected ${dims}`);
    for (let j = 0; j < dims; j++) data[i * dims + j] = r[j];
  });
  return { data, rows: rows.length, dims };
}

/**
 * The score of the k-th highest row, k = round(contamination × rows) (at least 1 when
 * contamination > 0), so `score ≥ threshold` flags k rows when scores are distinct. With zero
 * contamination nothing can be flagged.
 */
export function thresholdFor(scores: Float64Array, contamination: number): number {
  if (contamination <= 0 || scores.length === 0) return Infinity;
  const k = Math.max(1, Math.round(contamination * scores.length));
  const sorted = Float64Array.from(scores).sort();
  return sorted[sorted.length - k];
}
