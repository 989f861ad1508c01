import { UserError } from '../util/errors.ts';
import type { ProgressFn } from '../util/progress.ts';
import { startWorker } from '../util/worker.ts';
import type { TrainFromWorker, TrainWorkerInput } from './train-messages.ts';
import type { TrainJobParams, TrainJobResult } from './train-run.ts';

export class TrainJobCancelled extends Error {
  constructor() {
    super('training cancelled');
    this.name = 'TrainJobCancelled';
  }
}

/**
 * Runs the training job (sessions → train → store model and embeddings) in a worker thread owned
 * by the caller (the CLI or the Electron main process). Aborting `signal` asks the worker to stop
 * at its next step; the promise then rejects with TrainJobCancelled.
 */
export function trainInWorker(caseDir: string, params: TrainJobParams, options: { onProgress?: ProgressFn; signal?: AbortSignal } = {}): Promise<TrainJobResult> {
  const input: TrainWorkerInput = { caseDir, params };
  const worker = startWorker(new URL('./train-worker.ts', import.meta.url), { workerData: input });
  return new Promise<TrainJobResult>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => worker.postMessage({ type: 'cancel' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (m: TrainFromWorker) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(m.cancelled ? new TrainJobCancelled() : m.user ? new UserError(m.message) : new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited with code ${code}`))));
  });
}
