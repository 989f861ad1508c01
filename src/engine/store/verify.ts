import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstatSync, openSync, type Stats } from 'node:fs';
import type { IngestItem, ReadOptions } from '../ingest/types.ts';
import type { Db } from './db.ts';
import { listEvidence, type EvidenceRecord } from './evidence.ts';
import { RAW_FILE, rawFilePath } from './raw-file.ts';
import { hasSealsTable, hashRange, listSeals } from './store-seals.ts';
import type { ProgressFn } from '../util/progress.ts';

// Here, in the store, because it re-checks what the store recorded (evidence hashes at acquisition,
// the raw file's seals): the verify stage runs it, and the export stage reads it for its inventory
// without importing the verify stage's orchestration.

export type VerifyStatus = 'ok' | 'changed' | 'missing' | 'unfinished';

export interface VerifyResult {
  path: string;
  status: VerifyStatus;
  expected: string | null;
  actual: string | null;
  /** Why, when the hashes alone do not say (not a regular file, a store file's problem). */
  detail?: string;
}

export interface VerifyOptions {
  onProgress?: ProgressFn;
  readerUrl?: URL;
}

type ReadBundle = (paths: string[], options?: ReadOptions) => AsyncIterable<IngestItem>;
const DEFAULT_READER = new URL('../ingest/index.ts', import.meta.url);

/** What re-reading a path found: its hash, or why there is none. */
export type FileHash = { sha256: string } | { missing: true } | { notRegular: string };

const kindOf = (s: Stats): string =>
  s.isFIFO() ? 'a FIFO' : s.isDirectory() ? 'a directory' : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : s.isSocket() ? 'a socket' : 'not a regular file';

/**
 * Hash a path only if it is a regular file. Opened non-blocking and checked on the open descriptor
 * (not stat-then-open, which a swap between the two defeats): opening a FIFO for reading blocks
 * until a writer comes, and reading a device or FIFO may never end, so evidence replaced by one
 * would hang verify. O_NONBLOCK changes nothing for a regular file's reads.
 */
export async function hashRegularFile(path: string): Promise<FileHash> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    // e.g. ENXIO (a socket), EACCES: there, but not readable as evidence.
    return { notRegular: `cannot be opened (${code ?? 'error'})` };
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    return { notRegular: `${kindOf(st)}, not a regular file` };
  }
  const h = createHash('sha256');
  // The stream owns the descriptor and closes it at the end.
  for await (const chunk of createReadStream('', { fd, highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return { sha256: h.digest('hex') };
}

const judge = (e: EvidenceRecord, found: FileHash): VerifyResult => {
  const actual = 'sha256' in found ? found.sha256 : null;
  const base = { path: e.path, expected: e.sha256, actual };
  if (e.status !== 'done') return { ...base, status: 'unfinished' };
  if ('missing' in found) return { ...base, status: 'missing' };
  // Replaced by something that is not a file: changed, and never read.
  if ('notRegular' in found) return { ...base, status: 'changed', detail: found.notRegular };
  return { ...base, status: actual === e.sha256 ? 'ok' : 'changed' };
};

/**
 * Re-hash every evidence item against what was recorded at acquisition: top-level files from
 * disk, archive members by streaming their archive through the reader again (never extracting).
 * An item whose ingest never finished has no hash to compare and says so. Results come in
 * acquisition order.
 */
export async function verifyCase(db: Db, options: VerifyOptions = {}): Promise<VerifyResult[]> {
  const all = listEvidence(db);
  const results: VerifyResult[] = [];
  const inEvidenceOrder = (): VerifyResult[] => {
    const byPath = new Map(results.map((r) => [r.path, r]));
    return all.map((e) => byPath.get(e.path) as VerifyResult);
  };
  const topLevel = all.filter((e) => e.parent === null);
  const hasMembers = new Set(all.filter((e) => e.parent !== null).map((e) => e.parent));
  const readable = new Set<string>();
  let done = 0;
  for (const e of topLevel) {
    const found = await hashRegularFile(e.path);
    if ('sha256' in found) readable.add(e.path);
    results.push(judge(e, found));
    options.onProgress?.({ stage: 'verify', done: ++done, total: topLevel.length, unit: 'files', rate: 0, etaS: null, detail: e.path });
  }
  // Only archives that are still regular files are read again: the reader would block on a FIFO too.
  const archives = topLevel.filter((e) => hasMembers.has(e.path) && readable.has(e.path));
  const seen = new Map<string, string>();
  if (archives.length > 0) {
    const { readBundle } = (await import((options.readerUrl ?? DEFAULT_READER).href)) as { readBundle: ReadBundle };
    for await (const item of readBundle(archives.map((a) => a.path))) {
      if (item.type === 'evidence-end') seen.set(item.path, item.sha256);
    }
  }
  for (const e of all) {
    if (e.parent === null) continue;
    const sha = seen.get(e.path);
    results.push(judge(e, sha === undefined ? { missing: true } : { sha256: sha }));
  }
  return inEvidenceOrder();
}

/**
 * Check the case store's own raw-record file against the seals each finished ingest recorded
 * (store/store-seals.ts): every sealed segment must hash as it did, in one pass over the file.
 * Bytes past the last seal are an ingest that never finished ('unfinished'; the next ingest seals
 * them). No result for a case without raw text (in memory, or nothing ingested yet).
 */
export function verifyStore(db: Db): VerifyResult[] {
  const path = rawFilePath(db);
  if (path === null) return [];
  const seals = listSeals(db, RAW_FILE);
  const found = { path, expected: null, actual: null };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return seals.length ? [{ ...found, status: 'missing', detail: `sealed up to byte ${seals.at(-1)!.end}` }] : [];
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return [{ ...found, status: 'changed', detail: `${kindOf(st)}, not a regular file` }];
    if (seals.length === 0) {
      if (st.size === 0) return [];
      const why = hasSealsTable(db) ? 'no ingest has finished since these bytes were written' : 'the case predates store seals';
      return [{ ...found, status: 'unfinished', detail: `${st.size} bytes never sealed (${why}): run \`gumshoe ingest\` again to seal them` }];
    }
    const last = seals.at(-1)!;
    let expectedStart = 0;
    for (const s of seals) {
      if (s.start !== expectedStart) return [{ ...found, status: 'changed', detail: `seals do not chain: a gap or overlap at byte ${expectedStart}` }];
      expectedStart = s.end;
      const actual = hashRange(fd, s.start, s.end);
      if (actual === null) return [{ ...found, status: 'changed', expected: s.sha256, detail: `${st.size} bytes, shorter than the ${last.end} sealed` }];
      if (actual !== s.sha256) return [{ ...found, status: 'changed', expected: s.sha256, actual, detail: `bytes ${s.start}–${s.end} (sealed ${s.sealedAt}) differ` }];
    }
    if (st.size > last.end) return [{ ...found, status: 'unfinished', expected: last.sha256, detail: `${st.size - last.end} bytes after the last seal (an ingest that did not finish)` }];
    return [{ ...found, status: 'ok', expected: last.sha256, actual: last.sha256, detail: `${seals.length} sealed segment(s), ${last.end} bytes` }];
  } finally {
    closeSync(fd);
  }
}
