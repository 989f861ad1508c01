import type { EvidenceEnd, EvidenceStart, RecordError } from '../ingest/types.ts';
import type { EventRow } from '../store/event-row.ts';

/** What the ingest worker sends the writer, in reading order. */
export type WorkerMessage =
  | (EvidenceStart & { key: number })
  | { type: 'rows'; rows: EventRow[]; raws: string[]; bytesRead: number; workerHeapBytes: number }
  | { type: 'errors'; errors: RecordError[] }
  | EvidenceEnd
  | { type: 'done'; bytesRead: number; cpuSeconds: number | null }
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
}
