import * as tf from '@tensorflow/tfjs';
import { VERBS } from '../sessions/verbs.ts';
import { Adam } from './adam.ts';
import { collate, type Batch } from './batch.ts';
import { FusedGcn } from './fused.ts';
import { GcnModel, PARAM_NAMES, type ParamName } from './gcn.ts';
import { GradHelper } from './grad-helper.ts';
import type { PreparedGraph } from './graph-data.ts';
import { f1Scores, type F1Report } from './metrics.ts';
import { labelNames, type ObjectiveName } from './objective.ts';
import { seededRandom, shuffle } from './rng.ts';

export interface TrainOptions {
  hidden?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Epochs without a better validation micro-F1 before stopping. */
  patience?: number;
  /** Fraction of graphs, the latest in time, held out for validation. */
  valFraction?: number;
  seed?: number;
  signal?: AbortSignal;
  onEpoch?: (p: EpochProgress) => void;
  onStep?: (done: number, total: number) => void;
  /**
   * 'fused' (the default where WebAssembly SIMD loads): forward, backward and Adam in one
   * WebAssembly memory, whatever the tfjs backend (~2.3× the tfjs ops on wasm). 'tfjs': the
   * reference path through tfjs ops, autodiff and tf.train.adam on the selected backend.
   */
  engine?: 'fused' | 'tfjs';
  /** Threads per training step on the fused path: 2 splits each batch with a helper thread (GradHelper). */
  threads?: 1 | 2;
  /**
   * What the head predicts (objective.ts): 'verbs' (the default) reads each graph's labelMask;
   * 'actor' reads each graph's `target`, an index into `classes`.
   */
  objective?: ObjectiveName;
  classes?: readonly string[];
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number;
  valF1: number;
  graphsPerSecond: number;
}

export interface TrainResult {
  model: GcnModel;
  epochsRun: number;
  bestEpoch: number;
  history: EpochProgress[];
  validation: F1Report & { graphs: number; loss: number };
  trainGraphs: number;
  /** Training throughput over the whole run (graphs/s, optimizer steps included). */
  graphsPerSecond: number;
  /** Which compute path ran the steps: the fused WebAssembly SIMD kernels, or tfjs ops on the backend. */
  engine: 'fused-wasm-simd' | 'tfjs';
}

export class TrainCancelled extends Error {
  constructor() {
    super('training cancelled');
    this.name = 'TrainCancelled';
  }
}

export function batches(graphs: readonly PreparedGraph[], size: number, dim: number, labels: number = VERBS.length): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < graphs.length; i += size) out.push(collate(graphs.slice(i, i + size), dim, labels));
  return out;
}

/**
 * Loss and F1 of logits [G, L] against targets y [G, L]. 'verbs': the mean sigmoid BCE and
 * multi-label F1 (a verb is predicted where its logit is > 0). 'actor': the mean softmax
 * cross-entropy, and F1 of the top class (one prediction per graph, so micro-F1 is the accuracy).
 */
function scoreLogits(logits: Float32Array, y: Float32Array, names: readonly string[], objective: ObjectiveName): F1Report & { graphs: number; loss: number } {
  const L = names.length;
  const G = L ? logits.length / L : 0;
  let lossSum = 0;
  const decided = objective === 'actor' ? new Float32Array(logits.length).fill(-1) : logits;
  for (let g = 0; g < G; g++) {
    const o = g * L;
    if (objective === 'actor') {
      let best = 0;
      let max = -Infinity;
      for (let j = 0; j < L; j++) if (logits[o + j] > max) [max, best] = [logits[o + j], j];
      let sum = 0;
      for (let j = 0; j < L; j++) sum += Math.exp(logits[o + j] - max);
      for (let j = 0; j < L; j++) lossSum -= y[o + j] * (logits[o + j] - max - Math.log(sum));
      decided[o + best] = 1;
      continue;
    }
    for (let j = 0; j < L; j++) {
      const v = logits[o + j];
      lossSum += (Math.max(v, 0) - v * y[o + j] + Math.log1p(Math.exp(-Math.abs(v)))) / L;
    }
  }
  return { ...f1Scores(decided, y, names), graphs: G, loss: G ? lossSum / G : 0 };
}

/** Loss and F1 of `model` on `val` (no gradients). */
export function evaluate(model: GcnModel, val: readonly Batch[]): F1Report & { graphs: number; loss: number } {
  const L = model.config.labels;
  const total = val.reduce((s, b) => s + b.graphs, 0);
  const logits = new Float32Array(total * L);
  const y = new Float32Array(total * L);
  let off = 0;
  for (const b of val) {
    const z = model.logits(b);
    logits.set(z.dataSync(), off * L);
    y.set(b.y, off * L);
    off += b.graphs;
    z.dispose();
  }
  return scoreLogits(logits, y, labelNames(model.config), model.config.objective ?? 'verbs');
}

/** evaluate() on the fused path, over chunks of graphs; the loss is the objective's mean (as tf.losses computes it). */
export function evaluateFused(fused: FusedGcn, val: readonly (readonly PreparedGraph[])[]): F1Report & { graphs: number; loss: number } {
  const L = fused.config.labels;
  const total = val.reduce((s, c) => s + c.length, 0);
  const logits = new Float32Array(total * L);
  const y = new Float32Array(total * L);
  let off = 0;
  for (const chunk of val) {
    fused.load(chunk);
    logits.set(fused.logits(), off * L);
    for (let g = 0; g < chunk.length; g++) {
      const t = chunk[g].target;
      for (let l = 0; l < L; l++) y[(off + g) * L + l] = (t !== undefined ? t === l : chunk[g].labelMask & (1 << l)) ? 1 : 0;
    }
    off += chunk.length;
  }
  return scoreLogits(logits, y, labelNames(fused.config), fused.config.objective ?? 'verbs');
}

/**
 * Trains a GCN on graphs given in time order: the last `valFraction` is validation (a time-ordered
 * split, so the model is judged on the future, as it will be used), the rest is shuffled each
 * epoch with a seeded PRNG. Keeps the weights of the epoch with the best validation micro-F1.
 */
export async function trainGcn(graphs: readonly PreparedGraph[], inDim: number, opts: TrainOptions = {}): Promise<TrainResult> {
  const epochs = opts.epochs ?? 30;
  const batchSize = opts.batchSize ?? 64;
  const patience = opts.patience ?? 5;
  const seed = opts.seed ?? 1;
  const nVal = graphs.length >= 10 ? Math.max(1, Math.round(graphs.length * (opts.valFraction ?? 0.2))) : 0;
  const trainSet = graphs.slice(0, graphs.length - nVal);
  const valSet = graphs.slice(graphs.length - nVal);
  if (trainSet.length === 0) throw new Error('no sessions to train on');
  const objective = opts.objective ?? 'verbs';
  if (objective === 'actor' && !opts.classes?.length) throw new Error("the 'actor' objective needs its classes");
  const classes = objective === 'actor' ? [...opts.classes!] : undefined;
  const labels = classes?.length ?? VERBS.length;
  const model = new GcnModel({ inDim, hidden: opts.hidden ?? 64, labels, layers: 3, seed, ...(classes ? { objective, classes } : {}) });
  const lr = opts.learningRate ?? 0.005;
  const fused = opts.engine === 'tfjs' ? null : FusedGcn.create(model.config);
  fused?.setWeights(model.snapshot());
  const adam = fused ? new Adam(PARAM_NAMES.map((n) => fused.param(n).length), lr) : null;
  const optimizer = fused ? null : tf.train.adam(lr);
  const valBatches = fused ? [] : batches(valSet, batchSize, inDim, labels);
  const valChunks: PreparedGraph[][] = [];
  if (fused) for (let i = 0; i < valSet.length; i += batchSize) valChunks.push(valSet.slice(i, i + batchSize));
  const validate = (): (F1Report & { graphs: number; loss: number }) | null => {
    if (fused) return valChunks.length ? evaluateFused(fused, valChunks) : null;
    return valBatches.length ? evaluate(model, valBatches) : null;
  };
  const rand = seededRandom(seed ^ 0x9e3779b9);
  const order = trainSet.map((_, i) => i);
  const history: EpochProgress[] = [];
  let best = -1;
  let bestEpoch = 0;
  let bestWeights: Record<ParamName, Float32Array> | null = null;
  let seen = 0;
  const t0 = performance.now();
  const stepsPerEpoch = Math.ceil(trainSet.length / batchSize);
  const helper = fused && (opts.threads ?? 1) > 1 ? await GradHelper.start(model.config, trainSet) : null;
  const check = (): void => {
    if (opts.signal?.aborted) throw new TrainCancelled();
  };
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      shuffle(order, rand);
      const te = performance.now();
      let lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        // Yield to the event loop each step (~µs) so a worker sees its cancel message.
        await new Promise<void>((resolve) => setImmediate(resolve));
        check();
        const idx = order.slice(s * batchSize, (s + 1) * batchSize);
        const step = idx.map((i) => trainSet[i]);
        if (fused && adam && helper) lossSum += (await helper.step(fused, adam, trainSet, idx)) * step.length;
        else if (fused && adam) {
          fused.load(step);
          lossSum += fused.lossAndGrad() * step.length;
          adam.step(PARAM_NAMES.map((n) => fused.param(n)), PARAM_NAMES.map((n) => fused.grad(n)));
        } else if (optimizer) {
          const b = collate(step, inDim, labels);
          const loss = optimizer.minimize(() => model.loss(b), true)!;
          lossSum += (loss.dataSync()[0] ?? 0) * b.graphs;
          loss.dispose();
        }
        seen += step.length;
        opts.onStep?.((epoch - 1) * stepsPerEpoch + s + 1, epochs * stepsPerEpoch);
      }
      const rate = trainSet.length / ((performance.now() - te) / 1000);
      const val = validate();
      const score = val ? val.micro : -lossSum;
      const p: EpochProgress = { epoch, epochs, loss: lossSum / trainSet.length, valLoss: val?.loss ?? NaN, valF1: val?.micro ?? NaN, graphsPerSecond: rate };
      history.push(p);
      opts.onEpoch?.(p);
      if (score > best) {
        best = score;
        bestEpoch = epoch;
        bestWeights = fused ? fused.weights() : model.snapshot();
      } else if (epoch - bestEpoch >= patience) break;
    }
    if (fused) {
      if (bestWeights) fused.setWeights(bestWeights);
      model.restore(fused.weights());
    } else if (bestWeights) model.restore(bestWeights);
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    optimizer?.dispose();
    await helper?.close();
  }
  const validation = validate() ?? { ...f1Scores(new Float32Array(0), new Float32Array(0), labelNames(model.config)), graphs: 0, loss: NaN };
  return {
    model,
    epochsRun: history.length,
    bestEpoch,
    history,
    validation,
    trainGraphs: trainSet.length,
    graphsPerSecond: seen / ((performance.now() - t0) / 1000),
    engine: fused ? 'fused-wasm-simd' : 'tfjs',
  };
}
