// The reading half of an ingest: runs readBundle on its own core, flattens events to rows (the
// JSON.stringify work) and hands them to the writer, never more than `window` batches ahead.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { IngestItem, ReadOptions, RecordError } from '../ingest/types.ts';
import { toEventTuple, type EventTuple } from '../store/event-row.ts';
import { RawAppender } from '../store/raw-file.ts';
import { threadCpuSeconds } from '../util/thread-cpu.ts';
import type { WorkerInput, WorkerMessage, WriterMessage } from './ingest-messages.ts';

type ReadBundle = (paths: string[], options?: ReadOptions) => AsyncIterable<IngestItem>;

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('ingest-worker must run in a worker thread');

let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', (m: WriterMessage) => {
  if (m.type === 'ack') {
    inFlight--;
    wake?.();
    wake = null;
  }
});

const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

// Errors are many and small when a file is bad: ship them in batches, but always before the next
// item message so that the writer sees them in reading order.
const ERROR_BATCH = 1000;
let pendingErrors: RecordError[] = [];
const flushErrors = (): void => {
  if (pendingErrors.length === 0) return;
  send({ type: 'errors', errors: pendingErrors });
  pendingErrors = [];
};

/** The file (and line) last read, so that a failure of the reader itself says where it was. */
let where = '';

async function run(): Promise<void> {
  const cpu0 = threadCpuSeconds();
  const { readBundle } = (await import(input.readerUrl)) as { readBundle: ReadBundle };
  // Appended here, on the reader's core: the writer thread is the slower one (docs/ingest.md).
  const rawFile = input.rawFile === null ? null : new RawAppender(input.rawFile);
  const keys = new Map<string, number>();
  let lastPath = '';
  let lastKey = -1;
  let bytesRead = 0;
  let decodedBytes = 0;
  for await (const item of readBundle(input.paths, { batchSize: input.batchSize })) {
    where = item.type === 'events' ? `${item.events.at(-1)?.origin.path}:${item.events.at(-1)?.origin.line}` : `${item.path}`;
    switch (item.type) {
      case 'evidence-start': {
        flushErrors();
        const key = keys.size;
        keys.set(item.path, key);
        send({ ...item, key });
        break;
      }
      case 'events': {
        const rows: EventTuple[] = [];
        let raws = item.raws;
        for (let i = 0; i < item.events.length; i++) {
          const e = item.events[i];
          if (e.origin.path !== lastPath) {
            lastPath = e.origin.path;
            const key = keys.get(lastPath);
            if (key === undefined) throw new Error(`reader yielded an event for ${lastPath} before its evidence-start`);
            lastKey = key;
          }
          try {
            rows.push(toEventTuple(e, lastKey));
          } catch (err) {
            // One record the store cannot take (the reader caps depth, so this is a last line of
            // defence) is that record's error, with its file and line, never the whole run's.
            if (raws === item.raws) raws = item.raws.slice(0, i);
            pendingErrors.push({ type: 'error', path: e.origin.path, line: e.origin.line, record: e.origin.record, code: 'unstorable', reason: `event cannot be stored: ${(err as Error).message}`, excerpt: item.raws[i].slice(0, 200) });
            continue;
          }
          if (raws !== item.raws) raws.push(item.raws[i]);
        }
        flushErrors();
        bytesRead = item.bytesRead;
        if (rows.length === 0) break;
        inFlight++;
        // Written before the message that carries the offsets leaves, so a commit never points past the data.
        const rawRefs = rawFile?.append(raws) ?? null;
        const m: WorkerMessage = { type: 'rows', rows, raws: rawRefs ? [] : raws, rawRefs, bytesRead, workerHeapBytes: getHeapStatistics().used_heap_size };
        send(m, rawRefs ? [rawRefs.buffer as ArrayBuffer] : []);
        while (inFlight >= input.window) await new Promise<void>((r) => (wake = r));
        break;
      }
      case 'error':
        pendingErrors.push(item);
        if (pendingErrors.length >= ERROR_BATCH) flushErrors();
        break;
      case 'evidence-end':
        flushErrors();
        decodedBytes += item.decodedBytes ?? 0;
        send(item);
        break;
    }
  }
  flushErrors();
  rawFile?.close();
  const cpu1 = threadCpuSeconds();
  send({ type: 'done', bytesRead, decodedBytes, cpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 });
}

// unref rather than close: close could drop the last messages still queued for the writer.
run().then(
  () => port.unref(),
  (err: unknown) => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    send({ type: 'fatal', message: where === '' ? message : `after ${where}: ${message}` });
    port.unref();
  },
);
