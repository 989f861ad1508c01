import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Bytes buffered before one write: large enough that millions of small rows cost few system
 * calls, small enough that a streamed export of a multi-million-event case stays a few MB in memory.
 */
const FLUSH_BYTES = 1 << 20;

export interface WrittenFile {
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * A file written front to back and hashed on the way, so an export of any size is never held in
 * memory and its SHA-256 (journaled as the report's chain of custody) costs no second read.
 * Synchronous: the rows come from SQLite's synchronous cursor, in the export's own worker.
 */
export class HashingFileSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private parts: Buffer[] = [];
  private pending = 0;
  private total = 0;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(chunk: string | Buffer): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.parts.push(b);
    this.pending += b.length;
    if (this.pending >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (!this.pending) return;
    const b = Buffer.concat(this.parts, this.pending);
    this.hash.update(b);
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.total += b.length;
    this.parts = [];
    this.pending = 0;
  }

  close(): WrittenFile {
    this.flush();
    closeSync(this.fd);
    return { path: this.path, sha256: this.hash.digest('hex'), bytes: this.total };
  }

  /** Close without a result, after a failure: the partial file is left for the caller to remove. */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed.
    }
  }
}

/** Write a file through a sink, closing it whatever happens. */
export function writeHashed(path: string, body: (sink: HashingFileSink) => void): WrittenFile {
  const sink = new HashingFileSink(path);
  try {
    body(sink);
  } catch (err) {
    sink.abort();
    throw err;
  }
  return sink.close();
}
