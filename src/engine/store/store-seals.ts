import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Db } from './db.ts';
import { RAW_FILE, rawFilePath } from './raw-file.ts';

/** One sealed segment of a store file: bytes [start, end) hashed when an ingest finished (migration 031). */
export interface StoreSeal {
  file: string;
  start: number;
  end: number;
  sha256: string;
  sealedAt: string;
  runId: number | null;
}

// 1 MiB reads: large enough that syscalls do not matter next to SHA-256, small enough to be no
// memory concern on the ingest writer thread.
const CHUNK = 1 << 20;

/** SHA-256 of bytes [start, end) of an open file; null when the file ends before `end`. */
export function hashRange(fd: number, start: number, end: number): string | null {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(end - start, 1)));
  for (let pos = start; pos < end; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
    if (n === 0) return null;
    hash.update(buf.subarray(0, n));
    pos += n;
  }
  return hash.digest('hex');
}

/** Whether the case has the seals table: a case opened read-only is never migrated. */
export function hasSealsTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_seals'").get() !== undefined;
}

export function listSeals(db: Db, file = RAW_FILE): StoreSeal[] {
  if (!hasSealsTable(db)) return [];
  const rows = db.prepare('SELECT file, start_offset, end_offset, sha256, sealed_at, run_id FROM store_seals WHERE file = ? ORDER BY start_offset').all(file) as {
    file: string;
    start_offset: number;
    end_offset: number;
    sha256: string;
    sealed_at: string;
    run_id: number | null;
  }[];
  return rows.map((r) => ({ file: r.file, start: r.start_offset, end: r.end_offset, sha256: r.sha256, sealedAt: r.sealed_at, runId: r.run_id }));
}

/**
 * Seal what the raw-record file gained since its last seal: called when an ingest has finished and
 * committed, so every byte sealed is one the case's events may point at (and a killed run's
 * unreferenced tail, which the next run seals along with its own bytes). Hashes only the new bytes.
 * Does nothing for an in-memory case, a case without the table, or a file that did not grow; a
 * file shorter than its seals is left for verify to report, never re-sealed over.
 */
export function sealRawFile(db: Db, runId: number | null, now = new Date()): StoreSeal | null {
  const path = rawFilePath(db);
  if (path === null || !hasSealsTable(db)) return null;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null; // no raw text written yet
  }
  try {
    const start = (db.prepare('SELECT max(end_offset) FROM store_seals WHERE file = ?').pluck().get(RAW_FILE) as number | null) ?? 0;
    const end = fstatSync(fd).size;
    if (end <= start) return null;
    const sha256 = hashRange(fd, start, end);
    if (sha256 === null) return null;
    const seal: StoreSeal = { file: RAW_FILE, start, end, sha256, sealedAt: now.toISOString(), runId };
    db.prepare('INSERT INTO store_seals (file, start_offset, end_offset, sha256, sealed_at, run_id) VALUES (?, ?, ?, ?, ?, ?)').run(seal.file, start, end, sha256, seal.sealedAt, runId);
    return seal;
  } finally {
    closeSync(fd);
  }
}
