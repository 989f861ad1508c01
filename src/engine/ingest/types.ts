import type { AuditEvent, SourceFormat } from '../../shared/domain.ts';

/**
 * What the ingest reader yields, in order, for a bundle. The reader never touches the store; the
 * ingest job (src/engine/jobs/) turns these into rows.
 *
 * Evidence items are files and archive members, named by their `path`
 * (`/seized/bundle.tar.gz!/var/log/audit.log.2.gz`), which is unique within a run.
 */
export type IngestItem = EvidenceStart | EventBatch | RecordError | EvidenceEnd;

export interface EvidenceStart {
  type: 'evidence-start';
  path: string;
  /** Containing evidence path, null for a top-level file. */
  parent: string | null;
  /** 'file' | 'gzip' | 'tar' | 'zip' | 'directory-entry'… as detected from magic bytes. */
  container: string;
  /** Size in bytes as stored (compressed size for a gzip member), when known up front. */
  size: number | null;
}

export interface EventBatch {
  type: 'events';
  /** Parallel arrays: raws[i] is the original record text behind events[i]. */
  events: AuditEvent[];
  raws: string[];
  /** Input bytes consumed so far by the whole reader (for progress). */
  bytesRead: number;
}

export interface RecordError {
  type: 'error';
  path: string;
  /** 1-based line, 0 when not line-framed. */
  line: number;
  /** 0-based record index inside the member, -1 when the error is about the file itself. */
  record: number;
  /**
   * Short machine-readable code: 'json', 'not-audit-event', 'line-too-long', 'utf8', 'truncated-gzip', 'bomb', 'entries', 'depth',
   * 'unsafe-name', 'eks-truncated', 'not-regular-member'… Notices use the same shape: 'nested-too-deep' (event kept, deep part cut),
   * 'no-events' (file holds no audit event), 'errors-not-stored' (count of errors over the per-file row cap).
   */
  code: string;
  /** Human sentence naming what is wrong. */
  reason: string;
  /** The first bytes of the offending record, for the analyst (never rendered as HTML). */
  excerpt: string;
}

export interface EvidenceEnd {
  type: 'evidence-end';
  path: string;
  /** SHA-256 (hex) of the bytes as stored: the file on disk, or the member inside its archive. */
  sha256: string;
  size: number;
  /** Formats seen in this item's records; empty for containers. */
  formats: SourceFormat[];
  events: number;
  /** Every error counted for this item, including those over the per-item row cap. */
  errors: number;
  /** Errors counted but not sent as RecordErrors (over MAX_ERROR_ROWS_PER_ITEM), per code. */
  unstoredErrors?: Record<string, number>;
  /** Bytes decoded from this item's content after decompression (0 for containers). */
  decodedBytes?: number;
}

export interface ReadOptions {
  /** Events per EventBatch. */
  batchSize?: number;
  limits?: Partial<IngestLimits>;
  signal?: AbortSignal;
}

export interface IngestLimits {
  maxLineBytes: number;
  maxDocumentBytes: number;
  maxDecompressedBytes: number;
  maxCompressionRatio: number;
  maxEntries: number;
  maxDepth: number;
  /** Largest zip read from inside another archive (buffered in memory: no random access there). */
  maxBufferedZipBytes?: number;
}
