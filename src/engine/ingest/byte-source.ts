import { createHash, type Hash } from 'node:crypto';

/**
 * A pull-based byte stream that can be peeked (magic bytes) and that hashes and counts every
 * byte as it is pulled, whoever pulls it: a decoder that stops early (bomb, too many entries)
 * leaves the rest to `drain()`, and the SHA-256 still covers the whole item.
 */
export class ByteSource implements AsyncIterable<Buffer> {
  private head: Buffer[] = [];
  private headLen = 0;
  private ended = false;
  private last: Promise<unknown> = Promise.resolve();
  private readonly hash: Hash | null;
  /** Bytes pulled from the underlying stream so far. */
  bytes = 0;

  constructor(
    private readonly it: AsyncIterator<Buffer>,
    hash: boolean,
    private readonly onPull?: (n: number) => void,
  ) {
    this.hash = hash ? createHash('sha256') : null;
  }

  static of(iterable: AsyncIterable<Buffer>, hash: boolean, onPull?: (n: number) => void): ByteSource {
    return new ByteSource(iterable[Symbol.asyncIterator](), hash, onPull);
  }

  /** Pulls are serialized: a consumer destroyed mid-read and `drain()` never race on the source. */
  private pull(): Promise<Buffer | null> {
    const p = this.last.then(() => this.pullNow());
    this.last = p.catch(() => undefined);
    return p;
  }

  private async pullNow(): Promise<Buffer | null> {
    if (this.ended) return null;
    const r = await this.it.next();
    if (r.done) {
      this.ended = true;
      return null;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    this.bytes += b.length;
    this.hash?.update(b);
    this.onPull?.(b.length);
    return b;
  }

  /** The first `n` bytes (fewer at end of stream), kept for the iterator to hand out again. */
  async peek(n: number): Promise<Buffer> {
    while (this.headLen < n) {
      const b = await this.pull();
      if (b === null) break;
      this.head.push(b);
      this.headLen += b.length;
    }
    const all = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head, this.headLen);
    return all.subarray(0, n);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    while (this.head.length > 0) {
      const b = this.head.shift() as Buffer;
      this.headLen -= b.length;
      yield b;
    }
    for (;;) {
      const b = await this.pull();
      if (b === null) return;
      yield b;
    }
  }

  /** Reads (and hashes) whatever the consumer left. */
  async drain(): Promise<void> {
    this.head = [];
    this.headLen = 0;
    while ((await this.pull()) !== null);
  }

  /** Collects the rest in memory, up to `max` bytes; null when larger (the rest is drained). */
  async collect(max: number): Promise<Buffer | null> {
    const parts: Buffer[] = [];
    let len = 0;
    for await (const b of this) {
      len += b.length;
      if (len > max) {
        await this.drain();
        return null;
      }
      parts.push(b);
    }
    return Buffer.concat(parts, len);
  }

  /** Ends the underlying stream early (a decompressor the decoder stopped reading). */
  async close(): Promise<void> {
    this.head = [];
    this.headLen = 0;
    this.ended = true;
    await this.last;
    await this.it.return?.();
  }

  digest(): string {
    return this.hash ? this.hash.copy().digest('hex') : '';
  }
}
