// Worker-thread entry for the case's read calls (read-channels.ts): the same handler table and
// dispatch the host uses, over the read thread's own connection to the case.
import { parentPort, workerData } from 'node:worker_threads';
import type { ApiResult } from '../../shared/contract.ts';
import { capDepth, deeperThan, MAX_ANSWER_DEPTH } from './bounded-json.ts';
import { CaseState } from './case-state.ts';
import { dispatch } from './dispatch.ts';
import { toApiError } from './errors.ts';
import { buildHandlers } from './handlers.ts';
import { JobManager } from './jobs.ts';
import { PathPolicy } from './paths.ts';
import { isReadCall } from './read-channels.ts';
import type { ReadReply, ReadRequest, ReadWorkerData } from './read-protocol.ts';

/** Answers read calls for whichever case the host names, switching when the host does. */
export function readServer(data: ReadWorkerData): (req: ReadRequest) => Promise<ApiResult<unknown>> {
  const cases = new CaseState(() => {});
  // The table is the host's; only READ_CHANNELS are ever answered here, so the job manager and
  // path policy below are never asked to start a job or grant a path.
  const handlers = buildHandlers({ transport: data.transport, cases, jobs: new JobManager(), paths: new PathPolicy(data.roots) });
  return async ({ caseDir, channel, args }) => {
    if (channel !== null && !isReadCall(channel)) {
      return { ok: false, error: { code: 'internal', message: `${channel.slice(0, 80)} is not a read call` } };
    }
    try {
      if (cases.info?.dir !== caseDir) cases.open(caseDir);
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
    return channel === null ? { ok: true, value: null } : dispatch(handlers, channel, args);
  };
}

if (parentPort) {
  const port = parentPort;
  const serve = readServer(workerData as ReadWorkerData);
  const reply = (id: number, result: ApiResult<unknown>): void => {
    // Structured clone recurses: a message nested a few thousand levels deep (a hostile event's
    // requestObject) is posted without error and then silently never arrives (Node 20, measured
    // at 2,000 levels), leaving the caller waiting forever. Such answers are cut as the HTTP
    // answer cuts them; the raw record, a string, still travels whole.
    const sendable = deeperThan(result, MAX_ANSWER_DEPTH + 2) ? (capDepth(result, MAX_ANSWER_DEPTH) as ApiResult<unknown>) : result;
    try {
      port.postMessage({ id, result: sendable } satisfies ReadReply);
    } catch (err) {
      port.postMessage({ id, result: { ok: false, error: toApiError(err) } } satisfies ReadReply);
    }
  };
  port.on('message', (req: ReadRequest) => {
    void serve(req).then((result) => reply(req.id, result));
  });
}
