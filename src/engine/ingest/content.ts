import { decodePlainEvent, decodeValue, type DecodeResult } from './decode.ts';
import type { Obj } from './field-table.ts';
import { isRawAuditEvent } from './raw-event.ts';
import type { ItemEmitter } from './emitter.ts';
import { ArraySplitter, type ElementSink } from './array-splitter.ts';
import { EXCERPT_CHARS, LineFramer, type LineSink } from './framing.ts';
import { capDepth, holdsMoreValuesThan, moreOpenersThan, nestsDeeperThan } from './depth.ts';
import { MAX_JSON_DEPTH, MAX_VALUES_PER_RECORD } from './limits.ts';
import type { IngestLimits } from './types.ts';

/**
 * Per-file format detection between framing and decoding. A file is JSON lines until its first
 * non-blank line fails to parse while opening with '[' or '{'. Then it is one JSON document: an
 * array (gcloud export, array of events) is split into elements as it streams, whatever its size;
 * an object (pretty-printed Event, EventList, Event Hubs blob) is buffered whole up to
 * maxDocumentBytes. An object document that does not parse (or outgrows that limit) is retried as
 * lines, so a JSON-lines file whose first line is broken still yields the rest. Likewise an array
 * whose first element is not complete when a line that is a JSON object on its own arrives was a
 * JSON-lines file after a broken first line: its lines so far are read again as lines.
 *
 * No number of bad records stops the reading: each is counted and skipped (the emitter caps how
 * many are stored as rows).
 */
type Mode = 'unknown' | 'lines' | 'array' | 'document' | 'done';

const excerpt = (s: string): string => s.slice(0, EXCERPT_CHARS);

export class ContentDecoder implements LineSink, ElementSink {
  private mode: Mode = 'unknown';
  private splitter: ArraySplitter | null = null;
  private lastLine = 0;
  private record = 0;
  private docLines: string[] = [];
  private docLineNos: number[] = [];
  private docChars = 0;
  /** Lines of an array whose first element is not complete yet, kept to be read again as lines. */
  private probe: { text: string; lineNo: number }[] | null = null;
  private probeChars = 0;
  private sawBytes = false;
  readonly framer: LineFramer;

  constructor(
    private readonly emitter: ItemEmitter,
    private readonly limits: IngestLimits,
  ) {
    this.framer = new LineFramer(limits.maxLineBytes, this);
  }

  /** True once nothing more will be decoded from this item (binary, gave up, too large). */
  get done(): boolean {
    return this.mode === 'done';
  }

  push(chunk: Buffer): void {
    if (this.mode === 'done' || chunk.length === 0) return;
    this.emitter.decodedBytes += chunk.length;
    if (!this.sawBytes) {
      this.sawBytes = true;
      // Text never holds NUL; UTF-16 and binary files do, in their first bytes.
      if (chunk.subarray(0, 8192).indexOf(0) >= 0) {
        this.emitter.error(0, -1, 'binary', 'file holds NUL bytes: binary data or UTF-16 text, not JSON audit logs', chunk.subarray(0, 64).toString('latin1'));
        this.mode = 'done';
        return;
      }
    }
    this.framer.push(chunk);
  }

  /** Input complete. `cut`: the layer below failed, so a partial last line is not a record. */
  end(cut = false): void {
    if (this.mode === 'done') return;
    if (!cut) this.framer.end();
    if (this.mode === 'document') this.endDocument();
    if (this.mode === 'array' && !cut) this.splitter?.end(this.lastLine);
    if (this.emitter.eventCount === 0 && this.emitter.errorCount === 0 && !cut) {
      this.emitter.error(0, -1, 'empty', 'no records: the file is empty or holds only whitespace', '');
    } else if (this.emitter.eventCount === 0 && !cut) {
      // Said apart from the errors themselves: a file that held no event at all is what an analyst
      // must see first (a wrong file collected, or a log that is not an audit log).
      this.emitter.notice(this.lastLine, 'no-events', `no Kubernetes audit event in this file: ${this.emitter.errorCount} record(s) or line(s) failed to decode`);
    }
    this.emitter.flush();
  }

  line(text: string, lineNo: number): void {
    this.lastLine = lineNo;
    if (this.mode === 'array') return this.arrayLine(text, lineNo);
    if (this.mode === 'document') return this.docLine(text, lineNo);
    if (this.mode === 'done') return;
    if (holdsMoreValuesThan(text, MAX_VALUES_PER_RECORD)) {
      // A whole array on one line is many records: the splitter takes it element by element.
      if (this.mode === 'unknown' && text.trimStart()[0] === '[') return this.badLine(text, lineNo, new Error('too many values to parse at once'));
      this.mode = 'lines';
      return this.tooManyValues(text, lineNo);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.badLine(text, lineNo, err as Error);
    }
    this.mode = 'lines';
    this.decode(value, lineNo, text);
  }

  private tooManyValues(text: string, lineNo: number): void {
    this.fail(lineNo, 'too-many-values', `record holds more than ${MAX_VALUES_PER_RECORD} JSON values (MAX_VALUES_PER_RECORD), more than parsing one record may cost in memory; skipped`, excerpt(text));
  }

  lineError(code: string, reason: string, lineNo: number, excerptText: string): void {
    if (this.mode === 'done') return;
    if (this.mode === 'unknown') this.mode = 'lines';
    this.fail(lineNo, code, reason, excerptText);
  }

  private badLine(text: string, lineNo: number, err: Error): void {
    const t = text.trim();
    if (t === '') return;
    if (this.mode === 'unknown') {
      if (t[0] === '[') {
        this.mode = 'array';
        this.splitter = new ArraySplitter(this.limits.maxLineBytes, this);
        this.probe = [];
        this.probeChars = 0;
        return this.arrayLine(text, lineNo);
      }
      if (t[0] === '{') {
        this.mode = 'document';
        return this.docLine(text, lineNo);
      }
      this.mode = 'lines';
    }
    this.fail(lineNo, 'json', `line is not valid JSON: ${err.message}`, excerpt(text));
  }

  private arrayLine(text: string, lineNo: number): void {
    if (this.probe !== null) {
      if (isObjectLine(text)) return this.abandonArray(text, lineNo);
      this.probeChars += text.length + 1;
      // An element this large is the splitter's to report (line-too-long); the lines are not kept twice.
      if (this.probeChars > this.limits.maxLineBytes) this.probe = null;
      else this.probe.push({ text, lineNo });
    }
    this.splitter?.line(text, lineNo);
  }

  /** Not an array after all: every line since the '[' is read again as a line of its own. */
  private abandonArray(text: string, lineNo: number): void {
    const lines = this.probe ?? [];
    this.probe = null;
    this.splitter = null;
    this.mode = 'lines';
    for (const l of lines) this.lineAgain(l.text, l.lineNo);
    this.lineAgain(text, lineNo);
  }

  private lineAgain(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    if (holdsMoreValuesThan(text, MAX_VALUES_PER_RECORD)) return this.tooManyValues(text, lineNo);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.fail(lineNo, 'json', `line is not valid JSON: ${(err as Error).message}`, excerpt(text));
    }
    this.decode(value, lineNo, text);
  }

  /** One element of a streamed array: its own text is its raw record. */
  element(text: string, line: number): void {
    if (this.mode === 'done') return;
    this.probe = null;
    if (holdsMoreValuesThan(text, MAX_VALUES_PER_RECORD)) return this.tooManyValues(text, line);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.fail(line, 'json', `array element is not valid JSON: ${(err as Error).message}`, excerpt(text));
    }
    this.decode(value, line, text);
  }

  elementError(code: string, reason: string, line: number, excerptText: string): void {
    if (this.mode !== 'done') this.fail(line, code, reason, excerptText);
  }

  private decode(value: unknown, lineNo: number, text: string): void {
    const origin = { evidenceId: 0, path: this.emitter.path, line: lineNo, record: this.record };
    let results: DecodeResult[];
    try {
      // Only a record's request and response objects, and a synthetic auditID's hash of the whole
      // record, walk it deeper than a level or two: a record with its own auditID and neither
      // object (every Metadata-level event) needs no depth check.
      if (!flatWithID(value)) this.capIfDeep(value, lineNo, text);
      const plain = decodePlainEvent(value, origin);
      if (plain) {
        this.record++;
        this.emitter.event(plain, text);
        return;
      }
      results = decodeValue(value, origin);
    } catch (err) {
      // The decoders never throw on data by design; if one does, it costs this record, not the file.
      return this.fail(lineNo, 'decode-failed', `record could not be decoded: ${(err as Error).message}`, excerpt(text));
    }
    this.record += results.length;
    // A wrapper can hold its event as JSON text (AKS properties.log, EKS message), where the scan
    // above does not look: the decoded objects are capped too when the text has brackets enough.
    let many: boolean | undefined;
    for (const r of results) {
      if (r.event && (r.event.requestObject != null || r.event.responseObject != null) && (many ??= moreOpenersThan(text, MAX_JSON_DEPTH))) {
        if (capDepth(r.event, MAX_JSON_DEPTH) > 0) this.deepNotice(r.origin.line, r.origin.record, r.raw ?? text);
      }
      if (r.event) this.emitter.event(r.event, r.raw ?? text);
      else this.emitter.error(r.origin.line, r.origin.record, r.error.code, r.error.reason, excerpt(r.raw ?? text));
    }
  }

  /** Cuts, in place, what nests past MAX_JSON_DEPTH (ingest/depth.ts), and says so. */
  private capIfDeep(value: unknown, lineNo: number, text: string): void {
    if (!nestsDeeperThan(text, MAX_JSON_DEPTH)) return;
    capDepth(value, MAX_JSON_DEPTH);
    this.deepNotice(lineNo, this.record, text);
  }

  private deepNotice(lineNo: number, record: number, text: string): void {
    this.emitter.error(
      lineNo,
      record,
      'nested-too-deep',
      `record nests JSON more than ${MAX_JSON_DEPTH} levels deep (MAX_JSON_DEPTH); read with the deeper parts replaced by a marker, its raw text kept whole`,
      excerpt(text),
    );
  }

  private fail(lineNo: number, code: string, reason: string, excerptText: string): void {
    this.emitter.error(lineNo, this.record++, code, reason, excerptText);
  }

  private docLine(text: string, lineNo: number): void {
    this.docChars += text.length + 1;
    if (this.docChars > this.limits.maxDocumentBytes) {
      // Too big to parse whole: what was gathered, and the rest of the file, are read as lines.
      this.emitter.error(this.docLineNos[0] ?? lineNo, -1, 'document-too-large', `JSON document is over the ${this.limits.maxDocumentBytes}-byte limit (maxDocumentBytes); read as lines instead`, excerpt(this.docLines[0] ?? text));
      const lines = this.docLines;
      const nos = this.docLineNos;
      this.docLines = [];
      this.docLineNos = [];
      this.mode = 'lines';
      lines.forEach((l, i) => this.lineAgain(l, nos[i]));
      this.lineAgain(text, lineNo);
      return;
    }
    this.docLines.push(text);
    this.docLineNos.push(lineNo);
  }

  private endDocument(): void {
    const lines = this.docLines;
    const nos = this.docLineNos;
    this.docLines = [];
    this.docLineNos = [];
    this.mode = 'lines';
    const text = lines.join('\n');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.retryAsLines(lines, nos, text, err as Error);
    }
    // A document is not line-framed: its records carry line 0 (EventOrigin).
    this.decode(value, 0, text);
  }

  private retryAsLines(lines: string[], nos: number[], text: string, err: Error): void {
    const parsed = lines.map((l) => {
      try {
        return { ok: true as const, v: JSON.parse(l) as unknown };
      } catch (e) {
        return { ok: false as const, e: e as Error };
      }
    });
    if (parsed.some((p) => p.ok && typeof p.v === 'object' && p.v !== null)) {
      parsed.forEach((p, i) => {
        if (p.ok) this.decode(p.v, nos[i], lines[i]);
        else if (lines[i].trim() !== '') this.fail(nos[i], 'json', `line is not valid JSON: ${p.e.message}`, excerpt(lines[i]));
      });
      return;
    }
    const pos = /position (\d+)/.exec(err.message);
    const at = pos ? Number(pos[1]) : 0;
    let lineIdx = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) lineIdx++;
    this.fail(nos[Math.min(lineIdx, nos.length - 1)], 'json', `JSON document is not valid: ${err.message}`, excerpt(text));
  }
}

/** A line that is a complete JSON object by itself (what a JSON-lines file is made of). */
function isObjectLine(text: string): boolean {
  const t = text.trim();
  if (t[0] !== '{' || t[t.length - 1] !== '}') return false;
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** A plain audit event (what decodePlainEvent takes) with its own auditID and no request or response object. */
function flatWithID(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Obj;
  return typeof o.auditID === 'string' && o.auditID !== '' && o.requestObject == null && o.responseObject == null && o.attributes === undefined && isRawAuditEvent(o);
}
