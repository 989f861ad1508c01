import { IsolationForest, toMatrix, type IForestOptions } from './iforest.ts';
import type { AnomalyScorer } from './types.ts';

/** The hunt's scorer: an Isolation Forest fitted on the sessions it scores (no labels, no history). */
export function iforestScorer(options: Omit<IForestOptions, 'contamination'> = {}): AnomalyScorer {
  return (rows) => {
    // The hunt sets its own threshold from its contamination, so the forest's is not used.
    const forest = IsolationForest.fit(toMatrix(rows), { seed: 1, ...options });
    const scores = forest.score(toMatrix(rows));
    return { scores: Array.from(scores), scoreOne: (row) => forest.scoreRow(row) };
  };
}
