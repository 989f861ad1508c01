import type { Progress } from '../util/progress.ts';
import type { TrainJobParams, TrainJobResult } from './train-run.ts';

/** workerData of the training worker. */
export interface TrainWorkerInput {
  caseDir: string;
  params: TrainJobParams;
}

/** Host → worker. */
export type TrainToWorker = { type: 'cancel' };

/** Worker → host. `user` marks an error the user can act on (printed without a stack). */
export type TrainFromWorker =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; result: TrainJobResult }
  | { type: 'failed'; message: string; user: boolean; cancelled: boolean };
