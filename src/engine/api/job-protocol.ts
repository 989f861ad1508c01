import type { ApiError, JobKind, JobResult } from '../../shared/contract.ts';
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
export type FromWorker = { type: 'progress'; progress: Progress } | { type: 'done'; result: JobResult | null } | { type: 'failed'; error: ApiError };

/** What a job runner gets inside its worker. */
export interface RunContext {
  caseDir: string;
  params: unknown;
  signal: AbortSignal;
  onProgress: (p: Progress) => void;
}

/** A runner answers with its job's result in a few numbers (JobResult): it travels in every later job event. */
export type Runner = (ctx: RunContext) => Promise<JobResult | null>;
