// Worker-thread entry of the training job: tfjs and the training loop never run on the host's loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../store/db.ts';
import { UserError } from '../util/errors.ts';
import { TrainCancelled } from '../model/train.ts';
import type { TrainFromWorker, TrainToWorker, TrainWorkerInput } from './train-messages.ts';
import { runTraining } from './train-run.ts';

if (parentPort) {
  const port = parentPort;
  const input = workerData as TrainWorkerInput;
  const abort = new AbortController();
  port.on('message', (m: TrainToWorker) => {
    if (m.type === 'cancel') abort.abort();
  });
  const post = (m: TrainFromWorker): void => port.postMessage(m);
  const db = openCase(input.caseDir);
  try {
    const result = await runTraining(db, input.caseDir, input.params, { signal: abort.signal, onProgress: (progress) => post({ type: 'progress', progress }) });
    post({ type: 'done', result });
  } catch (err) {
    const cancelled = err instanceof TrainCancelled || abort.signal.aborted;
    post({ type: 'failed', message: cancelled ? 'training cancelled' : err instanceof Error ? err.message : String(err), user: err instanceof UserError, cancelled });
  } finally {
    db.close();
    port.close();
  }
}
