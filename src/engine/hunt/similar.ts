import type { EmbeddingRun } from '../store/model.ts';

export interface SimilarSession {
  sessionId: number;
  /** Euclidean distance between the two session embeddings (the scale explain.ts's nearest-normal reason uses). */
  distance: number;
}

export interface Nearest {
  nearest: SimilarSession[];
  /**
   * The median distance from this session to every other one in the run: what "near" is measured
   * against. Embeddings have no natural unit, so a bare distance tells the analyst little.
   */
  typicalDistance: number | null;
}

/**
 * The `k` sessions of `run` whose embeddings lie nearest to `sessionId`'s: the minutes the model saw
 * as doing the same thing, whoever did them and whenever. Euclidean, not cosine: the pooled ReLU
 * embeddings all point into the same orthant, so on the demo every cosine distance was under 0.01
 * while Euclidean ones spread from 0.85 to a median of 4. Brute force over the run (S × dim
 * multiply-adds; 100K sessions of 64 dimensions is ~6M, a few ms), because an index would have to be
 * rebuilt after every training. Empty when the session is not in the run.
 */
export function nearestSessions(run: EmbeddingRun, sessionId: number, k: number): Nearest {
  const { sessionIds, data, dim } = run;
  const me = sessionIds.indexOf(sessionId);
  if (me < 0 || sessionIds.length < 2) return { nearest: [], typicalDistance: null };
  const all = new Float64Array(sessionIds.length - 1);
  // Kept sorted, nearest first; k is small (the contract caps it at 50), so insertion is cheapest.
  const best: SimilarSession[] = [];
  const base = me * dim;
  for (let i = 0, n = 0; i < sessionIds.length; i++) {
    if (i === me) continue;
    let sum = 0;
    for (let j = 0, o = i * dim; j < dim; j++) {
      const d = data[base + j] - data[o + j];
      sum += d * d;
    }
    const d = Math.sqrt(sum);
    all[n++] = d;
    if (k <= 0 || (best.length === k && d >= best[k - 1].distance)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].distance > d) at--;
    best.splice(at, 0, { sessionId: sessionIds[i], distance: d });
    if (best.length > k) best.pop();
  }
  all.sort();
  const mid = all.length >> 1;
  return { nearest: best, typicalDistance: all.length % 2 ? all[mid] : (all[mid - 1] + all[mid]) / 2 };
}
