import { UMAP } from 'umap-js';
import { seededRandom } from './rng.ts';

/**
 * 2-D UMAP projection of row-major embeddings [n, dim] → [n, 2], seeded so the UI's map is the
 * same on every run. Tiny inputs (UMAP needs more points than neighbours) fall back to the first
 * two coordinates.
 */
export function project2d(data: Float32Array, n: number, dim: number, seed = 42): Float32Array {
  const out = new Float32Array(n * 2);
  if (n < 4) {
    for (let i = 0; i < n; i++) {
      out[i * 2] = data[i * dim];
      out[i * 2 + 1] = dim > 1 ? data[i * dim + 1] : 0;
    }
    return out;
  }
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), minDist: 0.1, random: seededRandom(seed), nEpochs: n > 10_000 ? 100 : 200 });
  const y = umap.fit(rows);
  y.forEach((p, i) => {
    out[i * 2] = p[0];
    out[i * 2 + 1] = p[1];
  });
  return out;
}
