import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { ByteSource } from './byte-source.ts';
import { archiveError, classify, detectKind, gunzip, IngestError, openZip, tarMembers, unsafeName, zipEntries, type Kind } from './containers.ts';
import { ContentDecoder } from './content.ts';
import { ItemEmitter, type ReadProgress } from './emitter.ts';
import { RATIO_FLOOR_BYTES } from './limits.ts';
import type { EvidenceStart, IngestItem, IngestLimits } from './types.ts';

/** What one readBundle call shares between its items. */
export interface ReadContext {
  limits: IngestLimits;
  maxBufferedZipBytes: number;
  batchSize: number;
  signal: AbortSignal | undefined;
  progress: ReadProgress;
}

export interface ItemSpec {
  path: string;
  parent: string | null;
  /** Nesting depth of this item: 0 for a file given or found on disk. */
  depth: number;
  size: number | null;
  /** Set for a file on disk, so a zip can be opened with random access. */
  diskPath?: string;
  /** The name as the archive wrote it, when it would escape an extraction directory. */
  unsafeName?: string;
}

/**
 * One evidence item (a file, or an archive member): EvidenceStart, its events and errors or its
 * members' items, EvidenceEnd with the SHA-256 of its bytes as stored. Errors stay inside the
 * item; only cancellation escapes.
 */
export async function* readItem(src: ByteSource, spec: ItemSpec, ctx: ReadContext): AsyncGenerator<IngestItem> {
  const em = new ItemEmitter(spec.path, ctx.batchSize, ctx.progress);
  const layers: string[] = [];
  // Decompressed views of src, closed before src is drained so no decompressor is left paused.
  const views: ByteSource[] = [];
  let content = src;
  let kind: Kind | 'none' = 'none';
  // Once the stream has failed and said so, draining it fails again for the same reason.
  let reported = false;
  try {
    for (;;) {
      const k = detectKind(await content.peek(512));
      if (k !== 'data' && spec.depth + layers.length >= ctx.limits.maxDepth) {
        em.error(0, -1, 'depth', `${k} nested ${spec.depth + layers.length + 1} levels deep, over the limit of ${ctx.limits.maxDepth} (maxDepth); not opened`, '');
        break;
      }
      if (k !== 'gzip') {
        kind = k;
        break;
      }
      layers.push('gzip');
      const compressed = content;
      content = ByteSource.of(gunzip(compressed, () => compressed.bytes, ctx.limits), false);
      views.push(content);
    }
  } catch (err) {
    const e = classify(err);
    em.error(0, -1, e.code, e.message, '');
    reported = true;
  }
  if (kind !== 'data' && kind !== 'none') layers.push(kind);
  const start: EvidenceStart = { type: 'evidence-start', path: spec.path, parent: spec.parent, container: layers.length > 0 ? layers.join('+') : 'file', size: spec.size };
  yield start;
  if (spec.unsafeName !== undefined) {
    em.error(0, -1, 'unsafe-name', `archive member name ${JSON.stringify(spec.unsafeName)} is absolute or climbs out with '..'; read as data, never extracted`, spec.unsafeName);
  }
  for (const it of em.take()) yield it;

  const depth = spec.depth + layers.length;
  try {
    if (kind === 'data') reported = yield* readContent(content, em, ctx);
    else if (kind === 'tar') yield* readTar(content, spec.path, depth, ctx, em);
    else if (kind === 'zip') yield* readZip(content, spec, depth, ctx, em);
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    const e = classify(err);
    em.error(0, -1, e.code, e.message, '');
    reported = true;
  }
  try {
    for (const v of views.reverse()) await v.close();
    await src.drain();
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    if (!reported) em.error(0, -1, 'unreadable', `read failed: ${(err as Error).message}`, '');
  }
  em.finish();
  for (const it of em.take()) yield it;
  yield {
    type: 'evidence-end',
    path: spec.path,
    sha256: src.digest(),
    size: src.bytes,
    formats: [...em.formats],
    events: em.eventCount,
    errors: em.errorCount,
    unstoredErrors: em.unstored,
    decodedBytes: em.decodedBytes,
  };
}

/** Frames and decodes one item's bytes; returns whether the stream failed (already reported). */
async function* readContent(content: ByteSource, em: ItemEmitter, ctx: ReadContext): AsyncGenerator<IngestItem, boolean> {
  const dec = new ContentDecoder(em, ctx.limits);
  try {
    for await (const chunk of content) {
      dec.push(chunk);
      const out = em.take();
      for (let i = 0; i < out.length; i++) yield out[i];
      if (ctx.signal?.aborted) ctx.signal.throwIfAborted();
      if (dec.done) break;
    }
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    // A gzip cut midway: what was decoded stays, the partial last line does not.
    const e = classify(err);
    em.error(dec.framer.currentLine, -1, e.code, e.message, '');
    dec.end(true);
    return true;
  }
  dec.end();
  return false;
}

function memberSpec(parentPath: string, name: string, depth: number, size: number | null): ItemSpec {
  return { path: `${parentPath}!/${name}`, parent: parentPath, depth: depth + 1, size, unsafeName: unsafeName(name) ? name : undefined };
}

async function* readTar(content: ByteSource, path: string, depth: number, ctx: ReadContext, em: ItemEmitter): AsyncGenerator<IngestItem> {
  let n = 0;
  try {
    for await (const m of tarMembers(content)) {
      if (++n > ctx.limits.maxEntries) {
        em.error(0, -1, 'entries', `archive holds more than ${ctx.limits.maxEntries} entries (maxEntries); the rest are not read`, m.name);
        return;
      }
      if (m.stream === null) yield* specialMember(memberSpec(path, m.name, depth, m.size), m.type, m.linkname);
      else yield* readItem(ByteSource.of(m.stream, true), memberSpec(path, m.name, depth, m.size), ctx);
    }
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    throw archiveError('tar', err);
  }
}

/** A link, device or FIFO inside an archive: an inventory item with one error naming it, never followed or opened. */
function* specialMember(spec: ItemSpec, type: string, linkname: string | null): Generator<IngestItem> {
  const what = type === 'link' ? 'hard link' : type;
  const target = linkname === null ? '' : ` to ${JSON.stringify(linkname)}`;
  yield { type: 'evidence-start', path: spec.path, parent: spec.parent, container: `tar-${type}`, size: spec.size };
  yield { type: 'error', path: spec.path, line: 0, record: -1, code: 'not-regular-member', reason: `archive member is a ${what}${target}, not a regular file; recorded, not followed`, excerpt: linkname ?? '' };
  yield { type: 'evidence-end', path: spec.path, sha256: '', size: 0, formats: [], events: 0, errors: 1 };
}

async function* readZip(content: ByteSource, spec: ItemSpec, depth: number, ctx: ReadContext, em: ItemEmitter): AsyncGenerator<IngestItem> {
  let zip: yauzl.ZipFile;
  if (spec.diskPath !== undefined && depth === 0) {
    // A zip on disk is read twice: once streamed for the hash, once with random access by yauzl.
    await content.drain();
    zip = await openZip({ path: spec.diskPath }).catch((err: unknown) => {
      throw archiveError('zip', err);
    });
  } else {
    // Inside another archive there is no random access, and yauzl needs the central directory at
    // the end before any entry: the member is buffered, up to a limit.
    const buf = await content.collect(ctx.maxBufferedZipBytes);
    if (buf === null) throw new IngestError('zip-too-large', `zip inside an archive is over ${ctx.maxBufferedZipBytes} bytes, the most buffered in memory; not read`);
    zip = await openZip({ buffer: buf }).catch((err: unknown) => {
      throw archiveError('zip', err);
    });
  }
  try {
    let n = 0;
    for await (const { name, entry } of zipEntries(zip)) {
      if (++n > ctx.limits.maxEntries) {
        em.error(0, -1, 'entries', `archive holds more than ${ctx.limits.maxEntries} entries (maxEntries); the rest are not read`, name);
        return;
      }
      const spec2 = memberSpec(spec.path, name, depth, entry.uncompressedSize);
      let refusal = zipRefusal(entry, ctx.limits);
      let stream: Readable | null = null;
      if (!refusal) {
        // A bad local header spoils one entry, not the ones after it.
        stream = await zip.openReadStreamPromise(entry).catch((err: unknown) => {
          refusal = archiveError('zip', err);
          return null;
        });
      }
      if (stream) {
        yield* readItem(ByteSource.of(stream, true), spec2, ctx);
        continue;
      }
      const e = refusal ?? new IngestError('unreadable', 'zip entry cannot be opened');
      yield { type: 'evidence-start', path: spec2.path, parent: spec2.parent, container: 'zip-entry', size: entry.uncompressedSize };
      yield { type: 'error', path: spec2.path, line: 0, record: -1, code: e.code, reason: e.message, excerpt: '' };
      yield { type: 'evidence-end', path: spec2.path, sha256: '', size: 0, formats: [], events: 0, errors: 1 };
    }
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    throw archiveError('zip', err);
  } finally {
    zip.close();
  }
}

/**
 * A zip made on Unix keeps the file mode in the upper half of the external attributes: a symlink's
 * data is its target path, which must be recorded as a link, not read as a log.
 */
function zipSpecialType(entry: yauzl.Entry): string | null {
  if (entry.versionMadeBy >> 8 !== 3) return null;
  switch ((entry.externalFileAttributes >>> 16) & 0o170000) {
    case 0o120000:
      return 'symlink';
    case 0o010000:
      return 'fifo';
    case 0o020000:
      return 'character-device';
    case 0o060000:
      return 'block-device';
    case 0o140000:
      return 'socket';
    default:
      return null;
  }
}

/** Checks on the central directory's sizes before inflating anything (yauzl enforces them while reading). */
function zipRefusal(entry: yauzl.Entry, limits: IngestLimits): IngestError | null {
  if (entry.generalPurposeBitFlag & 1) return new IngestError('encrypted', 'zip entry is encrypted; cannot be read');
  const special = zipSpecialType(entry);
  if (special !== null) return new IngestError('not-regular-member', `archive member is a ${special}, not a regular file; recorded, not followed`);
  if (entry.uncompressedSize > limits.maxDecompressedBytes) {
    return new IngestError('bomb', `zip entry declares ${entry.uncompressedSize} bytes, over ${limits.maxDecompressedBytes} (maxDecompressedBytes); not read`);
  }
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
    return new IngestError('bomb', `zip entry expands ${Math.round(ratio)}× (over ${limits.maxCompressionRatio}×, maxCompressionRatio): a decompression bomb; not read`);
  }
  return null;
}
