import { isUtf8 } from 'node:buffer';

/**
 * Framing: bytes → lines. Works on Buffers (indexOf on '\n', one toString per chunk on the fast
 * path) because this loop runs over every byte of the bundle; readline and per-line regexes cost
 * half the throughput. Never holds more than maxLineBytes of one line: longer lines are skipped
 * as they stream past and reported once.
 */

export interface LineSink {
  /** A complete line, without its '\n' or '\r\n'. Empty lines are not delivered. */
  line(text: string, lineNo: number): void;
  /** A line that cannot be delivered ('utf8', 'line-too-long'). */
  lineError(code: string, reason: string, lineNo: number, excerpt: string): void;
}

export const EXCERPT_CHARS = 200;
const NL = 10;

export class LineFramer {
  /** 1-based number of the line being read. */
  private lineNo = 1;
  private carry: Buffer[] = [];
  private carryLen = 0;
  private skipping = false;
  private skippedBytes = 0;
  private skipExcerpt = '';
  private first = true;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  /** The line the framer is in, for errors raised by the layer below (a gzip cut midway). */
  get currentLine(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (this.first && chunk.length > 0) {
      this.first = false;
      // UTF-8 BOM, as Windows tools (and the AKS samples) write it.
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    const len = chunk.length;
    while (start < len) {
      if (this.skipping) {
        const nl = chunk.indexOf(NL, start);
        if (nl < 0) {
          this.skippedBytes += len - start;
          return;
        }
        this.skippedBytes += nl - start;
        this.endSkip();
        start = nl + 1;
        continue;
      }
      if (this.carryLen > 0) {
        const nl = chunk.indexOf(NL, start);
        if (nl < 0) {
          this.append(chunk.subarray(start));
          return;
        }
        const piece = chunk.subarray(start, nl);
        if (this.carryLen + piece.length > this.maxLineBytes) {
          this.startSkip(piece);
          this.endSkip();
        } else {
          this.carry.push(piece);
          this.deliverBuffer(Buffer.concat(this.carry, this.carryLen + piece.length));
          this.carry = [];
          this.carryLen = 0;
        }
        start = nl + 1;
        continue;
      }
      const last = chunk.lastIndexOf(NL);
      if (last < start) {
        this.append(chunk.subarray(start));
        return;
      }
      this.deliverRegion(chunk.subarray(start, last));
      start = last + 1;
    }
  }

  /** End of input: a last line without '\n' is still a line. */
  end(): void {
    if (this.skipping) this.endSkip();
    else if (this.carryLen > 0) {
      this.deliverBuffer(Buffer.concat(this.carry, this.carryLen));
      this.carry = [];
      this.carryLen = 0;
    }
  }

  private append(piece: Buffer): void {
    if (this.carryLen + piece.length > this.maxLineBytes) this.startSkip(piece);
    else {
      this.carry.push(piece);
      this.carryLen += piece.length;
    }
  }

  private startSkip(piece: Buffer): void {
    const head = this.carryLen > 0 ? this.carry[0] : piece;
    this.skipExcerpt = head.subarray(0, EXCERPT_CHARS).toString('utf8');
    this.skippedBytes = this.carryLen + piece.length;
    this.carry = [];
    this.carryLen = 0;
    this.skipping = true;
  }

  private endSkip(): void {
    this.sink.lineError('line-too-long', `line is ${this.skippedBytes} bytes, over the ${this.maxLineBytes}-byte limit (maxLineBytes); skipped`, this.lineNo, this.skipExcerpt);
    this.skipping = false;
    this.skippedBytes = 0;
    this.skipExcerpt = '';
    this.lineNo++;
  }

  /** Complete lines, newline-separated, no trailing newline. */
  private deliverRegion(region: Buffer): void {
    // Lines inside one chunk can only exceed the limit when the chunk itself does. One UTF-8
    // check per chunk, then one toString per line: measured faster than decoding the chunk to
    // one string and slicing it, since JSON.parse then gets flat strings.
    if (region.length <= this.maxLineBytes && isUtf8(region)) {
      let p = 0;
      for (;;) {
        const nl = region.indexOf(NL, p);
        let end = nl < 0 ? region.length : nl;
        if (end > p && region[end - 1] === 13) end--;
        if (end > p) this.sink.line(region.toString('utf8', p, end), this.lineNo);
        this.lineNo++;
        if (nl < 0) return;
        p = nl + 1;
      }
    }
    let p = 0;
    for (;;) {
      const nl = region.indexOf(NL, p);
      const end = nl < 0 ? region.length : nl;
      const line = region.subarray(p, end);
      if (line.length > this.maxLineBytes) {
        this.startSkip(line);
        this.endSkip();
      } else this.deliverBuffer(line);
      if (nl < 0) return;
      p = nl + 1;
    }
  }

  private deliverBuffer(line: Buffer): void {
    if (!isUtf8(line)) {
      this.sink.lineError('utf8', 'line is not valid UTF-8', this.lineNo, line.subarray(0, EXCERPT_CHARS).toString('utf8'));
      this.lineNo++;
      return;
    }
    const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
    this.deliverText(line.toString('utf8', 0, end));
  }

  private deliverText(text: string): void {
    if (text.length > 0) this.sink.line(text, this.lineNo);
    this.lineNo++;
  }
}
