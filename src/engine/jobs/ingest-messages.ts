import type { EvidenceEnd, EvidenceStart, RecordError } from '../ingest/types.ts';
import type { EventTuple } from '../store/event-row.ts';

/** What the ingest worker sends the writer, in reading order. */
export type WorkerMessage =
  | (EvidenceStart & { key: number })
  // Either the raw texts themselves, or (with a raw file) where the worker appended them: [offset, length] pairs.
  | { type: 'rows'; rows: EventTuple[]; raws: string[]; rawRefs: Float64Array | null; bytesRead: number; workerHeapBytes: number }
  | { type: 'errors'; errors: RecordError[] }
  | EvidenceEnd
  | { type: 'done'; bytesRead: number; decodedBytes: number; cpuSeconds: number | null }
  | { type: 'fatal'; message: string };

/** What the writer sends back: one credit per committed 'rows' message. */
export type WriterMessage = { type: 'ack' };

export interface WorkerInput {
  paths: string[];
  /** Module exporting readBundle (the real reader unless a test substitutes one). */
  readerUrl: string;
  batchSize: number;
  /** Row batches allowed in flight before the reader waits: the bound that keeps memory flat. */
  window: number;
  /** The case's raw file (store/raw-file.ts) to append record texts to; null keeps them in the messages. */
  rawFile: string | null;
}
