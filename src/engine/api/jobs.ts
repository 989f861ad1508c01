import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { JobInfo, JobKind } from '../../shared/contract.ts';
import { startWorker } from '../util/worker.ts';
import { ApiFailure } from './errors.ts';
import type { FromWorker, JobWorkerData, ToWorker } from './job-protocol.ts';
import { hasRunner } from './job-runners.ts';

export interface JobManagerOptions {
  /** Worker entry; the Electron host passes its built file, everything else the .ts source. */
  workerEntry?: URL;
  /** Tests swap the runner table (module URL) to exercise the machinery itself. */
  runnersModule?: string;
  /** Called on every state or progress change. */
  onChange?: (job: JobInfo) => void;
  /** How long a cancelled job may take to stop before its thread is terminated. */
  cancelGraceMs?: number;
}

/** A cancelled worker gets this long to stop on its own (at its next step) before it is terminated. */
const CANCEL_GRACE_MS = 5000;

interface Running {
  info: JobInfo;
  worker: Worker;
  done: Promise<JobInfo>;
}

/** Runs long jobs in worker threads, one thread per job, with progress and cancel. */
export class JobManager {
  private readonly jobs = new Map<string, Running>();
  private readonly entry: URL;

  constructor(private readonly options: JobManagerOptions = {}) {
    this.entry = options.workerEntry ?? new URL('./job-worker.ts', import.meta.url);
  }

  start(kind: JobKind, caseDir: string, params: unknown): JobInfo {
    if (!this.options.runnersModule && !hasRunner(kind)) {
      throw new ApiFailure('not-available-yet', `${kind} jobs are not available yet: that part of the engine has not been built.`);
    }
    const info: JobInfo = { id: randomUUID(), kind, state: 'running', progress: null, error: null, startedAt: new Date().toISOString(), finishedAt: null, result: null };
    const workerData: JobWorkerData & { runnersModule?: string } = { kind, caseDir, params, runnersModule: this.options.runnersModule };
    const worker = startWorker(this.entry, { workerData });
    const done = new Promise<JobInfo>((resolve) => {
      const finish = (state: JobInfo['state'], error: JobInfo['error'], result: JobInfo['result'] = null): void => {
        if (info.finishedAt) return;
        info.state = info.state === 'cancelled' ? 'cancelled' : state;
        info.error = info.state === 'cancelled' ? null : error;
        // A job cancelled after its last step may still answer: what it made is not offered as done.
        info.result = info.state === 'done' ? result : null;
        info.finishedAt = new Date().toISOString();
        this.changed(info);
        resolve(info);
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'progress') {
          info.progress = m.progress;
          this.changed(info);
        } else if (m.type === 'done') finish('done', null, m.result);
        else finish('failed', m.error);
      });
      worker.on('error', (err) => finish('failed', { code: 'internal', message: err.message }));
      worker.on('exit', (code) => finish(code === 0 ? 'done' : 'failed', { code: 'internal', message: `job worker exited with code ${code}` }));
    });
    this.jobs.set(info.id, { info, worker, done });
    this.changed(info);
    return { ...info };
  }

  /** Ask the job to stop; it is terminated if it has not stopped after a grace period. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || job.info.finishedAt) return false;
    job.info.state = 'cancelled';
    job.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    const timer = setTimeout(() => void job.worker.terminate(), this.options.cancelGraceMs ?? CANCEL_GRACE_MS);
    timer.unref();
    void job.done.then(() => clearTimeout(timer));
    return true;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  /** Resolves when the job has finished, whatever the outcome. */
  async wait(id: string): Promise<JobInfo> {
    const job = this.jobs.get(id);
    if (!job) throw new ApiFailure('not-found', `no job ${id}`);
    return { ...(await job.done) };
  }

  /** Cancel everything still running (host shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.jobs.values()].filter((j) => !j.info.finishedAt).map((j) => j.worker.terminate()));
  }

  private changed(info: JobInfo): void {
    this.options.onChange?.({ ...info });
  }
}
