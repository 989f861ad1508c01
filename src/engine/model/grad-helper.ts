import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.ts';
import type { Adam } from './adam.ts';
import type { FusedGcn } from './fused.ts';
import { PARAM_NAMES, type GcnConfig } from './gcn.ts';
import type { PreparedGraph } from './graph-data.ts';

export interface GradRequest {
  /** All parameters, concatenated in PARAM_NAMES order. */
  weights: Float32Array;
  /** Indices into the graphs the helper was started with. */
  idx: Int32Array;
}
export type GradReply = { loss: number; grads: Float32Array } | { error: string };

/**
 * A second thread for data-parallel training steps: it holds its own fused network and a copy of
 * the training graphs (sent once), and per step gets the weights (~11K floats) and its share of
 * the batch, and returns that share's mean loss and gradient. The weighted sum of both shares'
 * gradients is the whole batch's gradient, so a step is the same step, split.
 */
export class GradHelper {
  private constructor(private readonly worker: Worker) {
    worker.unref();
  }

  static async start(config: GcnConfig, graphs: readonly PreparedGraph[]): Promise<GradHelper> {
    const worker = startWorker(new URL('./grad-worker.ts', import.meta.url), { workerData: { config, graphs } });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', () => resolve());
      worker.once('error', reject);
    });
    return new GradHelper(worker);
  }

  private request(req: GradRequest): Promise<{ loss: number; grads: Float32Array }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.worker.once('error', onError);
      this.worker.once('message', (m: GradReply) => {
        this.worker.off('error', onError);
        if ('error' in m) reject(new Error(m.error));
        else resolve(m);
      });
      this.worker.postMessage(req);
    });
  }

  /**
   * One Adam step on the batch trainGraphs[idx], the first `share` graphs' gradient computed by the
   * helper while this thread computes the rest. Returns the batch's mean loss.
   */
  async step(fused: FusedGcn, adam: Adam, trainGraphs: readonly PreparedGraph[], idx: readonly number[]): Promise<number> {
    const share = Math.floor(idx.length / 2);
    const weights = new Float32Array(PARAM_NAMES.reduce((s, n) => s + fused.param(n).length, 0));
    let at = 0;
    for (const n of PARAM_NAMES) {
      weights.set(fused.param(n), at);
      at += fused.param(n).length;
    }
    const theirs = share > 0 ? this.request({ weights, idx: Int32Array.from(idx.slice(0, share)) }) : null;
    fused.load(idx.slice(share).map((i) => trainGraphs[i]));
    const mine = fused.lossAndGrad();
    const other = theirs ? await theirs : { loss: 0, grads: new Float32Array(weights.length) };
    const wOther = share / idx.length;
    const wMine = 1 - wOther;
    at = 0;
    for (const n of PARAM_NAMES) {
      const g = fused.grad(n);
      for (let i = 0; i < g.length; i++) g[i] = wMine * g[i] + wOther * other.grads[at + i];
      at += g.length;
    }
    adam.step(PARAM_NAMES.map((n) => fused.param(n)), PARAM_NAMES.map((n) => fused.grad(n)));
    return wMine * mine + wOther * other.loss;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
