import * as tf from '@tensorflow/tfjs';
import type { Batch } from './batch.ts';
import type { ObjectiveName } from './objective.ts';
import { linear, meanPool, propagate } from './ops.ts';
import { seededRandom } from './rng.ts';

export interface GcnConfig {
  inDim: number;
  hidden: number;
  labels: number;
  layers: 3;
  seed: number;
  /** What the head predicts (objective.ts); absent in models saved before there was a choice: 'verbs'. */
  objective?: ObjectiveName;
  /** The 'actor' objective's class names, in head order (the last is OTHER_ACTOR). */
  classes?: string[];
}

/** Parameter names in serialization order. */
export const PARAM_NAMES = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3', 'wo', 'bo'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/**
 * Three GCN layers, a global mean pool and a linear head (the talk's model).
 *
 *   H1 = relu(Â X W1 + b1)        X: [N, F_in]  W1: [F_in, H]
 *   H2 = relu(Â H1 W2 + b2)       W2: [H, H]
 *   H3 = relu(Â H2 W3 + b3)       W3: [H, H]
 *   E  = meanpool_g(H3)           E: [G, H]     (the session embedding)
 *   Z  = E Wo + bo                Wo: [H, L]    Z: [G, L] logits: verbs, or actor classes
 *
 * with Â = D^-1/2 (A + I) D^-1/2 (PyG GCNConv with gcn_norm). Layer 1 multiplies ÂX (precomputed
 * per graph) by W1, which is the same product reassociated.
 */
export class GcnModel {
  readonly params: Record<ParamName, tf.Variable>;

  constructor(readonly config: GcnConfig) {
    // hidden % 4: the typed-array message passing is unrolled by four.
    const classesOk = config.objective !== 'actor' || config.classes?.length === config.labels;
    if (config.inDim < 1 || config.hidden < 4 || config.hidden % 4 !== 0 || config.labels < 1 || !classesOk) throw new Error(`bad GCN config ${JSON.stringify(config)}`);
    const rand = seededRandom(config.seed);
    // Glorot-uniform from our own PRNG: the same numbers on every backend.
    const glorot = (rows: number, cols: number): tf.Tensor2D => {
      const lim = Math.sqrt(6 / (rows + cols));
      return tf.tensor2d(Float32Array.from({ length: rows * cols }, () => (rand() * 2 - 1) * lim), [rows, cols]);
    };
    const { inDim, hidden, labels } = config;
    const shapes: Record<ParamName, number[]> = { w1: [inDim, hidden], b1: [hidden], w2: [hidden, hidden], b2: [hidden], w3: [hidden, hidden], b3: [hidden], wo: [hidden, labels], bo: [labels] };
    const params = {} as Record<ParamName, tf.Variable>;
    for (const name of PARAM_NAMES) {
      const s = shapes[name];
      const init = s.length === 2 ? glorot(s[0], s[1]) : tf.zeros(s);
      params[name] = tf.variable(init, true);
      init.dispose();
    }
    this.params = params;
  }

  /** Session embeddings E: [G, H]. */
  embed(b: Batch): tf.Tensor2D {
    return tf.tidy(() => {
      const p = this.params;
      const ax = tf.tensor2d(b.ax, [b.nodes, this.config.inDim]);
      // ÂX is precomputed per graph, so layer 1 needs no propagation here.
      const h1 = tf.relu(tf.add(linear(ax, p.w1), p.b1)) as tf.Tensor2D;
      const h2 = tf.relu(tf.add(propagate(b, linear(h1, p.w2)), p.b2)) as tf.Tensor2D;
      const h3 = tf.relu(tf.add(propagate(b, linear(h2, p.w3)), p.b3)) as tf.Tensor2D;
      return meanPool(b, h3);
    });
  }

  /** Head logits Z: [G, L] (verbs, or actor classes). */
  logits(b: Batch): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(this.embed(b), this.params.wo), this.params.bo));
  }

  /**
   * The objective's loss (a scalar): mean sigmoid binary cross-entropy over graphs and labels for
   * 'verbs' (multi-label), mean softmax cross-entropy over graphs for 'actor' (one class each).
   */
  loss(b: Batch): tf.Scalar {
    return tf.tidy(() => {
      const y = tf.tensor2d(b.y, [b.graphs, this.config.labels]);
      const z = this.logits(b);
      return (this.config.objective === 'actor' ? tf.losses.softmaxCrossEntropy(y, z) : tf.losses.sigmoidCrossEntropy(y, z)) as tf.Scalar;
    });
  }

  /** Weights as plain arrays (for early stopping's best snapshot and for saving). */
  snapshot(): Record<ParamName, Float32Array> {
    const out = {} as Record<ParamName, Float32Array>;
    for (const n of PARAM_NAMES) out[n] = Float32Array.from(this.params[n].dataSync());
    return out;
  }

  restore(weights: Record<ParamName, Float32Array>): void {
    for (const n of PARAM_NAMES) {
      const v = this.params[n];
      if (weights[n].length !== v.size) throw new Error(`weight ${n}: expected ${v.size} values, got ${weights[n].length}`);
      tf.tidy(() => v.assign(tf.tensor(weights[n], v.shape)));
    }
  }

  dispose(): void {
    for (const n of PARAM_NAMES) this.params[n].dispose();
  }
}
