import * as tf from '@tensorflow/tfjs';
import { VERBS } from '../sessions/verbs.ts';
import { Adam } from './adam.ts';
import { collate, type Batch } from './batch.ts';
import { FusedGcn } from './fused.ts';
import { GcnModel, PARAM_NAMES, type ParamName } from './gcn.ts';
import { GradHelper } from './grad-helper.ts';
import type { PreparedGraph } from './graph-data.ts';
import { f1Scores, type F1Report } from './metrics.ts';
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

export function batches(graphs: readonly PreparedGraph[], size: number, dim: number): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < graphs.length; i += size) out.push(collate(graphs.slice(i, i + size), dim, VERBS.length));
  return out;
}

/** Loss and F1 of `model` on `val` (no gradients). */
export function evaluate(model: GcnModel, val: readonly Batch[]): F1Report & { graphs: number; loss: number } {
  const L = VERBS.length;
  const total = val.reduce((s, b) => s + b.graphs, 0);
  const logits = new Float32Array(total * L);
  const y = new Float32Array(total * L);
  let off = 0;
  let lossSum = 0;
  for (const b of val) {
    const z = model.logits(b);
    const lossT = tf.tidy(() => tf.losses.sigmoidCrossEntropy(tf.tensor2d(b.y, [b.graphs, L]), z));
    lossSum += (lossT.dataSync()[0] ?? 0) * b.graphs;
    logits.set(z.dataSync(), off * L);
    y.set(b.y, off * L);
    off += b.graphs;
    z.dispose();
    lossT.dispose();
  }
  return { ...f1Scores(logits, y, VERBS), graphs: total, loss: total ? lossSum / total : 0 };
}

/** evaluate() on the fused path, over chunks of graphs; the loss is tf.losses.sigmoidCrossEntropy's mean. */
export function evaluateFused(fused: FusedGcn, val: readonly (readonly PreparedGraph[])[]): F1Report & { graphs: number; loss: number } {
  const L = VERBS.length;
  const total = val.reduce((s, c) => s + c.length, 0);
  const logits = new Float32Array(total * L);
  const y = new Float32Array(total * L);
  let off = 0;
  let lossSum = 0;
  for (const chunk of val) {
    fused.load(chunk);
    const z = fused.logits();
    logits.set(z, off * L);
    for (let g = 0; g < chunk.length; g++) {
      for (let l = 0; l < L; l++) {
        const t = chunk[g].labelMask & (1 << l) ? 1 : 0;
        const v = z[g * L + l];
        y[(off + g) * L + l] = t;
        lossSum += (Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)))) / L;
      }
    }
    off += chunk.length;
  }
  return { ...f1Scores(logits, y, VERBS), graphs: total, loss: total ? lossSum / total : 0 };
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
  const model = new GcnModel({ inDim, hidden: opts.hidden ?? 64, labels: VERBS.length, layers: 3, seed });
  const lr = opts.learningRate ?? 0.005;
  const fused = opts.engine === 'tfjs' ? null : FusedGcn.create(model.config);
  fused?.setWeights(model.snapshot());
  const adam = fused ? new Adam(PARAM_NAMES.map((n) => fused.param(n).length), lr) : null;
  const optimizer = fused ? null : tf.train.adam(lr);
  const valBatches = fused ? [] : batches(valSet, batchSize, inDim);
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
          const b = collate(step, inDim, VERBS.length);
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
  const validation = validate() ?? { ...f1Scores(new Float32Array(0), new Float32Array(0), VERBS), graphs: 0, loss: NaN };
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
