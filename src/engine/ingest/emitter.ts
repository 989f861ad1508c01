import type { AuditEvent, SourceFormat } from '../../shared/domain.ts';
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
  errorCount = 0;
  /** Errors since the last event: a file that never decodes is abandoned (MAX_CONSECUTIVE_ERRORS). */
  consecutiveErrors = 0;
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
    this.consecutiveErrors = 0;
    this.formats.add(ev.format);
    if (this.events.length >= this.batchSize) this.flush();
  }

  error(line: number, record: number, code: string, reason: string, excerpt: string): void {
    this.queue.push({ type: 'error', path: this.path, line, record, code, reason, excerpt });
    this.errorCount++;
    this.consecutiveErrors++;
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
