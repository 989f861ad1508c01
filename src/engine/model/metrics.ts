/** Per-label and averaged F1 of multi-label predictions (threshold 0.5 on the sigmoid, i.e. logit > 0). */
export interface F1Report {
  perLabel: Record<string, { f1: number; precision: number; recall: number; support: number }>;
  micro: number;
  macro: number;
}

/**
 * `logits` and `y` are row-major [G, L]. Macro averages only labels that occur in `y` or in the
 * predictions: a verb absent from the validation set and never predicted says nothing.
 */
export function f1Scores(logits: Float32Array, y: Float32Array, labels: readonly string[]): F1Report {
  const L = labels.length;
  const tp = new Float64Array(L);
  const fp = new Float64Array(L);
  const fn = new Float64Array(L);
  for (let i = 0; i < y.length; i++) {
    const l = i % L;
    const pred = logits[i] > 0;
    const truth = y[i] > 0.5;
    if (pred && truth) tp[l]++;
    else if (pred) fp[l]++;
    else if (truth) fn[l]++;
  }
  const f1 = (t: number, p: number, n: number): number => (t === 0 ? 0 : (2 * t) / (2 * t + p + n));
  const perLabel: F1Report['perLabel'] = {};
  let macroSum = 0;
  let macroN = 0;
  let T = 0;
  let P = 0;
  let N = 0;
  labels.forEach((name, l) => {
    const score = f1(tp[l], fp[l], fn[l]);
    perLabel[name] = {
      f1: score,
      precision: tp[l] + fp[l] > 0 ? tp[l] / (tp[l] + fp[l]) : 0,
      recall: tp[l] + fn[l] > 0 ? tp[l] / (tp[l] + fn[l]) : 0,
      support: tp[l] + fn[l],
    };
    if (tp[l] + fp[l] + fn[l] > 0) {
      macroSum += score;
      macroN++;
    }
    T += tp[l];
    P += fp[l];
    N += fn[l];
  });
  return { perLabel, micro: f1(T, P, N), macro: macroN ? macroSum / macroN : 0 };
}
