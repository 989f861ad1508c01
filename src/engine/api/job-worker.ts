// Worker-thread entry for long jobs (ingest, sessions, training, hunt, export): the host's event
// loop, which serves the UI, never runs them.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, JobWorkerData, Runner, ToWorker } from './job-protocol.ts';
import { toApiError } from './errors.ts';
import { runners } from './job-runners.ts';

export async function runJob(data: JobWorkerData, load: () => Promise<Runner | undefined>, post: (m: FromWorker) => void, signal: AbortSignal): Promise<void> {
  try {
    const runner = await load();
    if (!runner) throw new Error(`no runner for job kind ${data.kind}`);
    const result = await runner({ caseDir: data.caseDir, params: data.params, signal, onProgress: (progress) => post({ type: 'progress', progress }) });
    post({ type: 'done', result });
  } catch (err) {
    post({ type: 'failed', error: toApiError(err) });
  }
}

if (parentPort) {
  const port = parentPort;
  const data = workerData as JobWorkerData & { runnersModule?: string };
  const abort = new AbortController();
  port.on('message', (m: ToWorker) => {
    if (m.type === 'cancel') abort.abort();
  });
  // Tests point a worker at their own runner table; the app always uses job-runners.ts.
  const load = async (): Promise<Runner | undefined> => {
    if (!data.runnersModule) return runners[data.kind];
    const mod = (await import(/* @vite-ignore */ data.runnersModule)) as { runners: Partial<Record<string, Runner>> };
    return mod.runners[data.kind];
  };
  await runJob(data, load, (m) => port.postMessage(m), abort.signal);
  port.close();
}
