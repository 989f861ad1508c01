import { NOVELTY_KINDS, type CaseProfile } from './profile.ts';
import type { AnomalyScorer, EmbeddingSet } from './types.ts';

/**
 * 'embedding': the pooled GCN vector alone (the talk's setup).
 * 'embedding+context': plus size and novelty columns, for what the embedding mean-pools away
 * (a session ten times its peers' size, a never-seen IP). Which detects the simulator's attacks
 * better is for `gumshoe eval` to say.
 * 'context': the size and novelty columns alone, for a case with no trained model yet.
 */
export type FeatureMode = 'embedding' | 'embedding+context' | 'context';
export const FEATURE_MODES: readonly FeatureMode[] = ['embedding', 'embedding+context', 'context'];

/**
 * Talk range 0.001–0.006. 0.006 (about 9 one-minute sessions a day, a load one analyst reviews)
 * ranked the simulator's attacks best of 0.002/0.004/0.006 on two seeds (docs/report.md).
 */
export const DEFAULT_CONTAMINATION = 0.006;
/** Measured against 'embedding' alone on the simulator (docs/report.md): recall@10 50–80% vs 30–40%. */
export const DEFAULT_MODE: FeatureMode = 'embedding+context';
export const CONTEXT_FEATURES = ['log1p(events)', 'distinct verbs', ...NOVELTY_KINDS.map((k) => `new ${k}`)];

/**
 * Rows for the forest. Shapes: embeddings.data [S, dim] → rows [S][dim + r·C], C = |CONTEXT_FEATURES|.
 * The forest picks a split column uniformly, so C context columns beside 64 embedding columns
 * would hardly ever be split on; in 'embedding+context' they are repeated r = ⌈dim / C⌉ times to
 * weigh as much as the embedding (r = 1 in 'context').
 */
export function buildFeatures(emb: EmbeddingSet, profile: CaseProfile | null, mode: FeatureMode): Float64Array[] {
  const dim = mode === 'context' ? 0 : emb.dim;
  const repeat = mode === 'embedding' ? 0 : mode === 'context' ? 1 : Math.max(1, Math.ceil(dim / CONTEXT_FEATURES.length));
  const rows: Float64Array[] = [];
  const ctx = new Float64Array(CONTEXT_FEATURES.length);
  for (let i = 0; i < emb.sessionIds.length; i++) {
    const row = new Float64Array(dim + repeat * ctx.length);
    for (let j = 0; j < dim; j++) row[j] = emb.data[i * emb.dim + j];
    if (repeat) {
      const s = profile?.sessions.get(emb.sessionIds[i]);
      ctx[0] = Math.log1p(s?.events ?? 0);
      ctx[1] = s?.verbs.size ?? 0;
      NOVELTY_KINDS.forEach((k, n) => {
        ctx[2 + n] = s?.novel.filter((x) => x.kind === k).length ?? 0;
      });
      for (let r = 0; r < repeat; r++) row.set(ctx, dim + r * ctx.length);
    }
    rows.push(row);
  }
  return rows;
}

export function validateContamination(c: number): number {
  if (!(c > 0 && c < 0.5)) throw new RangeError(`contamination must be in (0, 0.5), got ${c}`);
  return c;
}

/**
 * Score every session and flag the top ⌈c·S⌉: contamination is the share of sessions the analyst
 * is willing to read. Returns the threshold as the lowest flagged score.
 */
export function scoreSessions(
  emb: EmbeddingSet,
  profile: CaseProfile | null,
  scorer: AnomalyScorer,
  options: { contamination?: number; mode?: FeatureMode } = {},
): { scores: Map<number, number>; flagged: number[]; threshold: number; scoreOne: (row: Float64Array) => number } {
  const c = validateContamination(options.contamination ?? DEFAULT_CONTAMINATION);
  const rows = buildFeatures(emb, profile, options.mode ?? 'embedding');
  if (!rows.length) return { scores: new Map(), flagged: [], threshold: 1, scoreOne: () => 0 };
  const fitted = scorer(rows);
  const scores = new Map<number, number>();
  emb.sessionIds.forEach((id, i) => scores.set(id, fitted.scores[i]));
  const k = Math.max(1, Math.ceil(c * rows.length));
  const order = emb.sessionIds.map((id, i) => ({ id, s: fitted.scores[i] })).sort((a, b) => b.s - a.s || a.id - b.id);
  const flagged = order.slice(0, k).map((o) => o.id);
  return { scores, flagged, threshold: order[k - 1].s, scoreOne: fitted.scoreOne };
}
