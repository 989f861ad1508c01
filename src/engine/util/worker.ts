import { Worker, type WorkerOptions } from 'node:worker_threads';

const bootstrap = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * Start a worker thread running `entry` (a module URL).
 *
 * Node 20 does not apply `--import` loaders to a worker's entry module, so a TypeScript entry (dev,
 * tests, the CLI run through tsx) is loaded by a tiny .mjs bootstrap that registers tsx first.
 * A built .js entry is started directly.
 */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(bootstrap, { ...options, workerData: { __entry: entry.href, ...(options.workerData ?? {}) } });
  }
  return new Worker(entry, options);
}
