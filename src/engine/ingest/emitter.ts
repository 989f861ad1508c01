import type { AuditEvent, SourceFormat } from '../../shared/domain.ts';
import { MAX_ERROR_ROWS_PER_ITEM } from './limits.ts';
import type { IngestItem } from './types.ts';

/** Reader-wide counters shared by every item of one readBundle call (never module state: the reader runs in workers). */
export interface ReadProgress {
  bytesRead: number;
}

/**
 * Collects one evidence item's events into batches and its errors into RecordErrors, and keeps
 * the counts its EvidenceEnd reports. Items are queued and handed out by `take()` so that the
 * synchronous framing and decoding loop does not await per record.
 */
export class ItemEmitter {
  private events: AuditEvent[] = [];
  private raws: string[] = [];
  private queue: IngestItem[] = [];
  eventCount = 0;
  /** Every error counted, stored as a row or not. */
  errorCount = 0;
  /** Errors past MAX_ERROR_ROWS_PER_ITEM, per code: counted, summed up in one row by finish(). */
  readonly unstored: Record<string, number> = {};
  private unstoredCount = 0;
  private unstoredFirstLine = 0;
  private unstoredLastLine = 0;
  /** Decoded bytes handed to this item's content decoder (after decompression). */
  decodedBytes = 0;
  readonly formats = new Set<SourceFormat>();

  constructor(
    readonly path: string,
    private readonly batchSize: number,
    private readonly progress: ReadProgress,
  ) {}

  event(ev: AuditEvent, raw: string): void {
    this.events.push(ev);
    this.raws.push(raw);
    this.eventCount++;
    this.formats.add(ev.format);
    if (this.events.length >= this.batchSize) this.flush();
  }

  error(line: number, record: number, code: string, reason: string, excerpt: string): void {
    this.errorCount++;
    if (this.errorCount - this.unstoredCount <= MAX_ERROR_ROWS_PER_ITEM) {
      this.queue.push({ type: 'error', path: this.path, line, record, code, reason, excerpt });
      return;
    }
    if (this.unstoredCount++ === 0) this.unstoredFirstLine = line;
    this.unstoredLastLine = line;
    this.unstored[code] = (this.unstored[code] ?? 0) + 1;
  }

  /** An error about the item as a whole, stored whatever the cap: there is one per item at most. */
  notice(line: number, code: string, reason: string): void {
    this.errorCount++;
    this.queue.push({ type: 'error', path: this.path, line, record: -1, code, reason, excerpt: '' });
  }

  /** The item is read: one row says how many errors were counted but not stored, and where. */
  finish(): void {
    this.flush();
    if (this.unstoredCount === 0) return;
    const byCode = Object.entries(this.unstored)
      .map(([c, n]) => `${c}: ${n}`)
      .join(', ');
    this.queue.push({
      type: 'error',
      path: this.path,
      line: this.unstoredFirstLine,
      record: -1,
      code: 'errors-not-stored',
      reason: `${this.unstoredCount} more errors (${byCode}) between lines ${this.unstoredFirstLine} and ${this.unstoredLastLine} were counted but not stored one by one (over ${MAX_ERROR_ROWS_PER_ITEM} per file, MAX_ERROR_ROWS_PER_ITEM); every event among them was read`,
      excerpt: '',
    });
  }

  flush(): void {
    if (this.events.length === 0) return;
    this.queue.push({ type: 'events', events: this.events, raws: this.raws, bytesRead: this.progress.bytesRead });
    this.events = [];
    this.raws = [];
  }

  take(): IngestItem[] {
    if (this.queue.length === 0) return NOTHING;
    const q = this.queue;
    this.queue = [];
    return q;
  }
}

const NOTHING: IngestItem[] = [];
