import { createReadStream } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteSource } from './byte-source.ts';
import { readItem, type ReadContext } from './item.ts';
import { DEFAULT_MAX_BUFFERED_ZIP_BYTES, resolveLimits } from './limits.ts';
import type { IngestItem, ReadOptions } from './types.ts';

export { decodeRecord, decodeValue, type DecodeResult, type DecodeError } from './decode.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export type * from './types.ts';

/** Large reads: the framer's per-chunk work is constant, so bigger chunks mean less overhead. */
const READ_CHUNK_BYTES = 1024 * 1024;
const DEFAULT_BATCH = 1000;

/**
 * Reads a seized bundle: files, directories (recursive, sorted by name), and tar, tar.gz, zip,
 * gzip containers nested to any depth (up to maxDepth), all streamed. Yields, per evidence item,
 * EvidenceStart, EventBatches and RecordErrors, then EvidenceEnd with its SHA-256; members of
 * an archive come between the archive's start and end. Bad input never throws; cancelling
 * through `options.signal` does (with the signal's reason).
 *
 * Holds no module state, so it can run in a worker thread beside others.
 */
export function readBundle(paths: string[], options: ReadOptions = {}): AsyncIterable<IngestItem> {
  const ctx: ReadContext = {
    limits: resolveLimits(options.limits),
    maxBufferedZipBytes: options.limits?.maxBufferedZipBytes ?? DEFAULT_MAX_BUFFERED_ZIP_BYTES,
    batchSize: Math.max(1, options.batchSize ?? DEFAULT_BATCH),
    signal: options.signal,
    progress: { bytesRead: 0 },
  };
  return readPaths(paths, ctx);
}

async function* readPaths(paths: string[], ctx: ReadContext): AsyncGenerator<IngestItem> {
  for (const p of paths) {
    ctx.signal?.throwIfAborted();
    let st;
    try {
      st = await stat(p);
    } catch (err) {
      yield fileError(p, 'unreadable', `cannot read: ${(err as Error).message}`);
      continue;
    }
    if (st.isDirectory()) yield* readDirectory(p, ctx);
    else if (st.isFile()) yield* readFile(p, st.size, ctx);
    else yield fileError(p, 'not-regular-file', 'not a regular file or directory; not read');
  }
}

async function* readDirectory(dir: string, ctx: ReadContext): AsyncGenerator<IngestItem> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    yield fileError(dir, 'unreadable', `cannot list directory: ${(err as Error).message}`);
    return;
  }
  // Code-unit order, not locale order: the same bundle reads the same on every machine.
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    ctx.signal?.throwIfAborted();
    const p = join(dir, name);
    let st;
    try {
      st = await lstat(p);
    } catch (err) {
      yield fileError(p, 'unreadable', `cannot read: ${(err as Error).message}`);
      continue;
    }
    if (st.isDirectory()) yield* readDirectory(p, ctx);
    else if (st.isFile()) yield* readFile(p, st.size, ctx);
    // Links inside a bundle could point anywhere on the examiner's machine.
    else if (st.isSymbolicLink()) yield fileError(p, 'symlink', 'symbolic link inside a directory; not followed');
    else yield fileError(p, 'not-regular-file', 'not a regular file; not read');
  }
}

async function* readFile(path: string, size: number, ctx: ReadContext): AsyncGenerator<IngestItem> {
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  const src = ByteSource.of(stream, true, (n) => {
    ctx.progress.bytesRead += n;
  });
  try {
    yield* readItem(src, { path, parent: null, depth: 0, size, diskPath: path }, ctx);
  } finally {
    stream.destroy();
  }
}

function fileError(path: string, code: string, reason: string): IngestItem {
  return { type: 'error', path, line: 0, record: -1, code, reason, excerpt: '' };
}
