/**
 * Splits a JSON document whose root is an array (`gcloud logging read --format=json`, arrays of
 * events) into its elements as the lines stream past, so an export of any size is read one
 * element at a time, each keeping its own text and starting line. Tracks only nesting and
 * strings: each element's syntax is JSON.parse's job.
 */
export interface ElementSink {
  element(text: string, line: number): void;
  elementError(code: string, reason: string, line: number, excerpt: string): void;
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const QUOTE = 34;
const BACKSLASH = 92;

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

export class ArraySplitter {
  private started = false;
  private ended = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private inElement = false;
  private tooLarge = false;
  private parts: string[] = [];
  private partsLen = 0;
  private startLine = 0;
  private trailingReported = false;

  constructor(
    private readonly maxElementChars: number,
    private readonly sink: ElementSink,
  ) {}

  line(text: string, lineNo: number): void {
    let segStart = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (isSpace(c)) continue;
      if (this.ended) {
        if (!this.trailingReported) {
          this.trailingReported = true;
          this.sink.elementError('json', 'text after the end of the JSON array', lineNo, text.slice(i, i + 200));
        }
        return;
      }
      if (!this.started) {
        if (c !== OPEN_BRACKET) {
          this.sink.elementError('json', 'expected a JSON array', lineNo, text.slice(i, i + 200));
          this.ended = true;
          this.trailingReported = true;
          return;
        }
        this.started = true;
        this.depth = 1;
        continue;
      }
      if (this.depth === 1 && (c === COMMA || c === CLOSE_BRACKET)) {
        if (this.inElement) this.finish(text.slice(segStart, i));
        if (c === CLOSE_BRACKET) {
          this.depth = 0;
          this.ended = true;
        }
        continue;
      }
      if (!this.inElement) {
        this.inElement = true;
        this.startLine = lineNo;
        segStart = i;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) this.depth--;
    }
    if (this.inElement) this.keep(`${text.slice(segStart)}\n`);
  }

  /** End of input: an array still open was cut off. */
  end(lastLine: number): void {
    if (this.ended || !this.started) return;
    const pending = this.parts.join('');
    this.sink.elementError('json', 'JSON array is not closed: the file ends inside it (cut off?); elements before are kept', this.inElement ? this.startLine : lastLine, pending.slice(0, 200));
  }

  private keep(piece: string): void {
    if (this.tooLarge) return;
    this.partsLen += piece.length;
    if (this.partsLen > this.maxElementChars) {
      this.tooLarge = true;
      this.sink.elementError('line-too-long', `array element is over the ${this.maxElementChars}-byte limit (maxLineBytes); skipped`, this.startLine, this.parts.join('').slice(0, 200));
      this.parts = [];
      return;
    }
    this.parts.push(piece);
  }

  private finish(lastPiece: string): void {
    this.keep(lastPiece);
    if (!this.tooLarge) this.sink.element(this.parts.join('').trimEnd(), this.startLine);
    this.parts = [];
    this.partsLen = 0;
    this.tooLarge = false;
    this.inElement = false;
  }
}
