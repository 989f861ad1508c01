import type { ApiError, JobKind } from '../../shared/contract.ts';
import type { Progress } from '../util/progress.ts';

/** What a job worker is started with (workerData). */
export interface JobWorkerData {
  kind: JobKind;
  caseDir: string;
  params: unknown;
}

/** Host → worker. */
export type ToWorker = { type: 'cancel' };

/** Worker → host: a discriminated union, so neither side guesses at shapes. */
export type FromWorker = { type: 'progress'; progress: Progress } | { type: 'done'; result: unknown } | { type: 'failed'; error: ApiError };

/** What a job runner gets inside its worker. */
export interface RunContext {
  caseDir: string;
  params: unknown;
  signal: AbortSignal;
  onProgress: (p: Progress) => void;
}

export type Runner = (ctx: RunContext) => Promise<unknown>;
