import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './db.ts';

/**
 * The case's raw-record file: original record texts, appended, each followed by '\n' so the file
 * reads as text; events rows point into it by byte offset and length (migrations 005, 006).
 *
 * Why a plain file: half of a case's bytes are raw text, which SQLite would write twice (WAL, then
 * checkpoint) on the one writer thread. Appended here by the reader thread instead, it costs that
 * thread one write per batch and takes ~13% off the writer's CPU per MB.
 *
 * Crash consistency: bytes are written before the message that carries their offsets is sent, and
 * the writer makes the file durable (fdatasync) before each COMMIT that records offsets. A killed
 * run can leave unreferenced bytes at the end (records it read but never committed); a resumed run
 * appends after them, and nothing ever points at them.
 */
export const RAW_FILE = 'raw-records.txt';

/** The raw file beside a case database, or null for an in-memory one (raw text then stays in SQLite). */
export function rawFilePath(db: Db): string | null {
  return db.memory ? null : join(dirname(db.name), RAW_FILE);
}

/** Whether the store can point events into the raw file (a case migrated to version 6). */
export function canUseRawFile(db: Db): boolean {
  if (db.memory) return false;
  const cols = db.prepare("SELECT name FROM pragma_table_info('events')").pluck().all() as string[];
  return cols.includes('raw_offset') && cols.includes('raw_length');
}

/**
 * Appends record texts to the raw file and says where each went. Used by the ingest reader thread;
 * one encode into a reused buffer and one write per batch.
 */
export class RawAppender {
  private readonly fd: number;
  private offset: number;
  private buf = Buffer.allocUnsafe(1 << 22);

  constructor(path: string) {
    this.fd = openSync(path, 'a');
    this.offset = fstatSync(this.fd).size;
  }

  /** Offsets and lengths (bytes), as pairs: [offset0, length0, offset1, length1, …]. */
  append(texts: readonly string[]): Float64Array {
    let worst = 0;
    for (const t of texts) worst += t.length * 3 + 1;
    if (worst > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(worst, this.buf.length * 2));
    const refs = new Float64Array(texts.length * 2);
    let pos = 0;
    for (let i = 0; i < texts.length; i++) {
      const n = this.buf.write(texts[i], pos, 'utf8');
      refs[2 * i] = this.offset + pos;
      refs[2 * i + 1] = n;
      pos += n;
      this.buf[pos++] = 10;
    }
    // Offsets are counted here, not asked of the OS (an append cannot say where it landed), so a
    // second ingest appending to the same case would make them wrong: refuse rather than mislead.
    const size = fstatSync(this.fd).size;
    if (size !== this.offset) throw new Error(`${RAW_FILE} grew from ${this.offset} to ${size} bytes under this ingest: another ingest is writing this case`);
    for (let done = 0; done < pos; ) done += writeSync(this.fd, this.buf, done, pos - done);
    this.offset += pos;
    return refs;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Make what was appended so far durable, before a commit records offsets into it. */
export function syncRawFile(path: string): void {
  let fd: number;
  try {
    // Writable: POSIX lets fdatasync refuse a read-only descriptor.
    fd = openSync(path, 'r+');
  } catch {
    return; // nothing appended yet
  }
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads record texts back from the raw file; one open for many reads. */
export class RawReader {
  private fd: number | null = null;

  constructor(private readonly path: string) {}

  read(offset: number, length: number): string {
    this.fd ??= openSync(this.path, 'r');
    const buf = Buffer.allocUnsafe(length);
    for (let got = 0; got < length; ) {
      const n = readSync(this.fd, buf, got, length - got, offset + got);
      if (n === 0) throw new Error(`raw record at ${offset}+${length} lies past the end of ${this.path}`);
      got += n;
    }
    return buf.toString('utf8');
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
