import type { EmbeddingRun } from '../store/model.ts';

export interface SimilarSession {
  sessionId: number;
  /** Cosine distance between the two session embeddings: 0 same direction, 1 unrelated, 2 opposite. */
  distance: number;
}

/**
 * The `k` sessions of `run` whose embeddings point most nearly the way `sessionId`'s does: the
 * minutes the model saw as doing the same thing, whoever did them and whenever. Brute force over
 * the run (S × dim multiply-adds; 100K sessions of 64 dimensions is ~6M, a few ms), because an
 * index would have to be rebuilt after every training. Empty when the session is not in the run.
 */
export function nearestSessions(run: EmbeddingRun, sessionId: number, k: number): SimilarSession[] {
  const { sessionIds, data, dim } = run;
  const me = sessionIds.indexOf(sessionId);
  if (me < 0 || k <= 0) return [];
  const norms = new Float64Array(sessionIds.length);
  for (let i = 0; i < sessionIds.length; i++) {
    let s = 0;
    for (let j = i * dim, end = j + dim; j < end; j++) s += data[j] * data[j];
    norms[i] = Math.sqrt(s);
  }
  // Kept sorted, nearest first; k is small (the contract caps it at 50), so insertion is cheapest.
  const best: SimilarSession[] = [];
  const base = me * dim;
  for (let i = 0; i < sessionIds.length; i++) {
    if (i === me) continue;
    let dot = 0;
    for (let j = 0, o = i * dim; j < dim; j++) dot += data[base + j] * data[o + j];
    // A zero vector has no direction: call it unrelated rather than dividing by zero.
    const d = norms[i] === 0 || norms[me] === 0 ? 1 : 1 - dot / (norms[i] * norms[me]);
    if (best.length === k && d >= best[k - 1].distance) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].distance > d) at--;
    best.splice(at, 0, { sessionId: sessionIds[i], distance: d });
    if (best.length > k) best.pop();
  }
  return best;
}
