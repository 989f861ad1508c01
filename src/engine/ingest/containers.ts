import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { RATIO_FLOOR_BYTES } from './limits.ts';
import type { IngestLimits } from './types.ts';

/**
 * Containers, detected by magic bytes (extensions lie in seized bundles: rotated logs are named
 * audit.log.1 whether gzipped or not). Every container is streamed; nothing touches the disk.
 */
export type Kind = 'gzip' | 'tar' | 'zip' | 'data';

export function detectKind(head: Buffer): Kind {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  // Local file header, or end-of-central-directory for an empty archive.
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return 'zip';
  // POSIX ustar and GNU tar both write "ustar" at offset 257.
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return 'data';
}

/** A limit hit or a container fault; becomes a RecordError with this code. */
export class IngestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Library errors → codes an analyst can act on: a cut file is not the same as a corrupt one. */
export function classify(err: unknown): IngestError {
  if (err instanceof IngestError) return err;
  const e = err as NodeJS.ErrnoException;
  const message = e?.message ?? String(err);
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return new IngestError('truncated-gzip', 'gzip stream ends midway (file cut off); records before this point are kept');
  }
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) return new IngestError('corrupt-data', `corrupt compressed data: ${message}`);
  // tar-stream's words for a tar that stops inside a header or a member.
  if (/unexpected end of data/i.test(message)) return new IngestError('truncated-archive', `archive ends midway (cut off): ${message}`);
  return new IngestError('unreadable', message);
}

/** Errors raised by an archive library while walking its entries. */
export function archiveError(kind: 'tar' | 'zip', err: unknown): IngestError {
  const e = classify(err);
  return e.code === 'unreadable' ? new IngestError('corrupt-archive', `${kind} archive cannot be read: ${e.message}`) : e;
}

/**
 * Decompresses a gzip stream (concatenated members too: zlib's Gunzip reads on past each
 * member's trailer, which is how rotated logs get joined with `cat`), stopping at the size and
 * ratio limits. `compressedBytes` reports how much input has been pulled (an upper bound of what
 * zlib has consumed).
 */
export async function* gunzip(input: AsyncIterable<Buffer>, compressedBytes: () => number, limits: IngestLimits): AsyncGenerator<Buffer> {
  // Bigger output chunks than zlib's 16 KiB default: fewer trips through the async iterators above.
  const gz = createGunzip({ chunkSize: 256 * 1024 });
  const source = Readable.from(input, { objectMode: false });
  pipeline(source, gz, () => undefined);
  let out = 0;
  try {
    for await (const chunk of gz as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > limits.maxDecompressedBytes) {
        throw new IngestError('bomb', `gzip stream decompresses past ${limits.maxDecompressedBytes} bytes (maxDecompressedBytes); rest not read`);
      }
      // The ratio is of what zlib has consumed (bytesWritten), not of what was pulled from the
      // file: reads run a megabyte ahead, and measured against them a 1000x bomb of newlines was
      // read to 200x of the whole file (389 MB from 2 MB) before it stopped.
      const consumed = Math.min(gz.bytesWritten, compressedBytes());
      if (out > RATIO_FLOOR_BYTES && out / Math.max(1, consumed) > limits.maxCompressionRatio) {
        throw new IngestError('bomb', `gzip stream expands over ${limits.maxCompressionRatio}× (maxCompressionRatio): a decompression bomb; rest not read`);
      }
      yield chunk;
    }
  } finally {
    source.destroy();
    gz.destroy();
  }
}

export interface TarMember {
  name: string;
  size: number | null;
  /** null for a member that is not a regular file (`type` says what it is instead). */
  stream: AsyncIterable<Buffer> | null;
  /** tar-stream's type: 'file', 'symlink', 'link' (hard link), 'character-device', 'block-device', 'fifo'… */
  type: string;
  /** Target of a symlink or hard link, as the archive wrote it. */
  linkname: string | null;
}

/**
 * tar members: regular files with their data; links, devices and FIFOs with no stream, so that
 * the inventory records them (a link into /etc in a seized bundle is itself worth seeing) without
 * following them. Directories carry nothing and are skipped.
 */
export async function* tarMembers(input: AsyncIterable<Buffer>): AsyncGenerator<TarMember> {
  const extract = tar.extract();
  const source = Readable.from(input, { objectMode: false });
  pipeline(source, extract, () => undefined);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const type = h.type ?? 'file';
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        if (type !== 'directory') yield { name: h.name, size: h.size ?? null, stream: null, type, linkname: h.linkname ?? null };
        continue;
      }
      yield { name: h.name, size: h.size ?? null, stream: entry as unknown as AsyncIterable<Buffer>, type, linkname: null };
      // The consumer may have stopped early; tar-stream needs the entry drained to go on.
      entry.resume();
    }
  } finally {
    source.destroy();
    extract.destroy();
  }
}

/** Names that would escape an extraction directory: reported, though we never extract. */
export function unsafeName(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[/\\]/).includes('..');
}

export interface ZipMember {
  name: string;
  entry: yauzl.Entry;
}

/** Opens a zip with names left raw: yauzl refuses `../` names outright, and we must report them instead. */
export async function openZip(from: { path: string } | { buffer: Buffer }): Promise<yauzl.ZipFile> {
  const options: yauzl.Options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false };
  return 'path' in from ? yauzl.openPromise(from.path, options) : yauzl.fromBufferPromise(from.buffer, options);
}

export function zipEntries(zip: yauzl.ZipFile): AsyncGenerator<ZipMember> {
  const next = (): Promise<yauzl.Entry | null> =>
    new Promise((resolve, reject) => {
      const cleanup = (): void => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      };
      const onEntry = (e: yauzl.Entry): void => (cleanup(), resolve(e));
      const onEnd = (): void => (cleanup(), resolve(null));
      const onError = (err: Error): void => (cleanup(), reject(err));
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
  return (async function* () {
    for (let e = await next(); e !== null; e = await next()) {
      const raw = e.fileName as unknown as Buffer;
      const name = yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, raw, e.extraFields, false);
      if (name.endsWith('/')) continue;
      yield { name, entry: e };
    }
  })();
}
