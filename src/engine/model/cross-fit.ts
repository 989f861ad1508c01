import type { HashingConfig } from '../sessions/presets.ts';
import { classProbabilities, embedGraphs } from './embed.ts';
import type { PreparedGraph } from './graph-data.ts';
import { trainGcn, type TrainOptions } from './train.ts';

/**
 * Cross-fitted class probabilities for the 'actor' objective: the hunt's `not-its-actor` verdict
 * asks the model whose a session is, and a model that trained on that very session (attacks
 * included, labelled with the identity they ran as) has partly learnt to answer "its victim's".
 * Here the sessions are split into CROSS_FIT_FOLDS folds, one model is trained per fold on the
 * other folds' sessions, and each session gets the probabilities of the model that never saw it.
 *
 * The folds are each identity's own sessions cut in time halves (its earlier half in fold 0, its
 * later half in fold 1), not the case cut in two and not sessions dealt alternately:
 * - dealt alternately, an attack's sessions (a burst of one identity's, close in time) fall in
 *   both folds, so the model judging one of them learnt its siblings as the identity's work: the
 *   leak this is meant to remove, only halved;
 * - the case cut in two at one instant, an identity seen only after the cut (a new account, a new
 *   team member) is a class its judge never saw an example of, and every such session would be
 *   called someone else's;
 * - cut per identity, every class with ≥ 2 sessions has examples on both sides, a burst stays on
 *   one side unless it straddles its identity's midpoint, and the later half of an identity's work
 *   is judged by a model of its earlier half: "unlike its own past", literally.
 */
export const CROSS_FIT_FOLDS = 2;

/**
 * The fold (0 or 1) of each session, given in time order as the actor of each. An identity's
 * sessions before its midpoint go to fold 0, after it to fold 1; an odd count's middle session
 * goes to the fold of the identity's order of first appearance, so one-session identities (which
 * teach the model "other") are shared evenly rather than all on one side.
 */
export function crossFitFolds(actorOfSession: readonly string[]): Uint8Array {
  const count = new Map<string, number>();
  const order = new Map<string, number>();
  for (const a of actorOfSession) {
    if (!order.has(a)) order.set(a, order.size);
    count.set(a, (count.get(a) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  const folds = new Uint8Array(actorOfSession.length);
  actorOfSession.forEach((a, i) => {
    const k = seen.get(a) ?? 0;
    seen.set(a, k + 1);
    const n = count.get(a)!;
    // Position 2k+1 against n: below the midpoint, above it, or the middle one itself.
    folds[i] = 2 * k + 1 < n ? 0 : 2 * k + 1 > n ? 1 : order.get(a)! % 2;
  });
  return folds;
}

export interface CrossFitFold {
  fold: number;
  /** Sessions the fold's model trained and validated on (the other fold's), and sessions it judged. */
  trainedOn: number;
  judged: number;
  epochsRun: number;
  bestEpoch: number;
  /** The fold model's own validation micro-F1 (accuracy) on the latest fifth of what it trained on. */
  validationMicro: number;
  seconds: number;
}

export interface CrossFitResult {
  /** Row-major [graphs, classes], in the order of the graphs given. */
  probs: Float32Array;
  folds: CrossFitFold[];
  seconds: number;
}

/**
 * Trains one actor-objective model per fold on the other fold's graphs, with the options the main
 * model trained with (hyper-parameters, epochs, early stopping, seed, the whole case's classes),
 * and returns for every graph the class probabilities of the model that did not train on it.
 * `prepared` is in time order, as trainGcn expects (each fold model validates on the latest fifth
 * of its own sessions). Null when a fold would be empty (a case too small to split).
 *
 * Shapes: prepared [G graphs], folds [G] → probs [G, classes.length].
 */
export async function crossFitClassProbabilities(
  prepared: readonly PreparedGraph[],
  folds: Uint8Array,
  hashing: HashingConfig,
  opts: TrainOptions & { classes: readonly string[] },
  onFold?: (fold: number, of: number) => void,
): Promise<CrossFitResult | null> {
  if (folds.length !== prepared.length) throw new Error(`${folds.length} folds for ${prepared.length} graphs`);
  const L = opts.classes.length;
  const probs = new Float32Array(prepared.length * L);
  const report: CrossFitFold[] = [];
  const t0 = performance.now();
  const sizes = Array.from({ length: CROSS_FIT_FOLDS }, (_, f) => folds.filter((x) => x === f).length);
  // A fold with nothing to judge leaves the other with nothing to train on.
  if (sizes.some((n) => n === 0)) return null;
  for (let f = 0; f < CROSS_FIT_FOLDS; f++) {
    onFold?.(f, CROSS_FIT_FOLDS);
    const tf = performance.now();
    const train = prepared.filter((_, i) => folds[i] !== f);
    const judged = prepared.flatMap((_, i) => (folds[i] === f ? [i] : []));
    const result = await trainGcn(train, hashing.dim, { ...opts, objective: 'actor' });
    try {
      const emb = embedGraphs({ gcn: result.model, hashing }, judged.map((i) => prepared[i]));
      const p = classProbabilities(result.model, emb)!;
      judged.forEach((g, j) => probs.set(p.subarray(j * L, (j + 1) * L), g * L));
    } finally {
      result.model.dispose();
    }
    report.push({ fold: f, trainedOn: train.length, judged: judged.length, epochsRun: result.epochsRun, bestEpoch: result.bestEpoch, validationMicro: result.validation.micro, seconds: (performance.now() - tf) / 1000 });
  }
  return { probs, folds: report, seconds: (performance.now() - t0) / 1000 };
}
