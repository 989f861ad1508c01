import type { AuditEvent, EventOrigin, SourceFormat } from '../../shared/domain.ts';
import { isAksTableRow, isAzureDiagnosticsRow, logAnalyticsRows, unwrapAksTableRow, unwrapAzureDiagnosticsRow } from './aks-tables.ts';
import { clusterFromLogGroup, insightsRow, isAksRecord, isEksRecord, NO_HINT, unwrapAks, unwrapEks, type Hint, type Unwrapped } from './cloud.ts';
import { obj, str, type Obj } from './field-table.ts';
import { isGkeEntry, normalizeGke } from './gke.ts';
import { isRawAuditEvent, normalizeRawEvent, syntheticAuditID, unwrapDatadog } from './raw-event.ts';
import { siemHint, siemTimeUs, unwrapSiem } from './siem.ts';
import { UNKNOWN_TIME } from './time.ts';

/**
 * Decoding: one parsed JSON value → normalized AuditEvents. Never throws on data: what cannot be
 * decoded comes back as an error result with a code and a reason.
 *
 * Envelopes are expanded in place, each element becoming its own record with its own index:
 *   JSON array · EventList `items` · Event Hubs `records` · CloudWatch filter-log-events `events` ·
 *   CloudWatch subscription `logEvents` · Logs Insights `results` · Splunk `results` (objects with
 *   `_raw`) · Log Analytics query `tables`.
 * Records are then recognised one by one (AKS diagnostic record, AKSAudit or AzureDiagnostics
 * table row, EKS CloudWatch record, GKE LogEntry, SIEM wrapper, raw audit Event), so a mixed
 * array decodes too. An event with no time at all is kept, with timeUs 0 and UNKNOWN_TIME in
 * `missing`: evidence is never dropped for lacking a field.
 */

export interface DecodeError {
  code: string;
  reason: string;
}

export type DecodeResult =
  | { event: AuditEvent; origin: EventOrigin; raw: string | undefined; error?: undefined }
  | { error: DecodeError; origin: EventOrigin; raw: string | undefined; event?: undefined };

/** Envelope inside envelope (an array of Event Hubs blobs) is real; deeper is not. */
const MAX_ENVELOPE_DEPTH = 4;

class Expander {
  readonly out: DecodeResult[] = [];
  private next: number;

  constructor(private readonly origin: EventOrigin) {
    this.next = origin.record;
  }

  /** `raw` undefined: the value is the caller's whole record, whose text the caller holds. */
  value(v: unknown, hint: Hint, raw: string | undefined, depth: number): void {
    if (Array.isArray(v)) {
      if (depth >= MAX_ENVELOPE_DEPTH) return this.fail({ code: 'not-audit-event', reason: 'arrays nested too deep to be an audit export' }, raw);
      for (const el of v) this.value(el, hint, JSON.stringify(el), depth + 1);
      return;
    }
    const o = obj(v);
    if (!o) return this.fail({ code: 'not-audit-event', reason: `a JSON ${v === null ? 'null' : typeof v}, not an object` }, raw);
    if (depth < MAX_ENVELOPE_DEPTH && this.envelope(o, hint, depth + 1)) return;
    this.record(o, hint, raw, depth);
  }

  private envelope(o: Obj, hint: Hint, depth: number): boolean {
    if (Array.isArray(o.items) && (o.kind === 'EventList' || str(o.apiVersion)?.startsWith('audit.k8s.io/'))) {
      for (const el of o.items) this.value(el, hint, JSON.stringify(el), depth);
      return true;
    }
    if (Array.isArray(o.records)) {
      for (const el of o.records) this.value(el, hint, JSON.stringify(el), depth);
      return true;
    }
    if (Array.isArray(o.logEvents)) {
      const h: Hint = { provider: 'aws', cluster: clusterFromLogGroup(str(o.logGroup)), timeUs: null };
      for (const el of o.logEvents) this.value(el, h, JSON.stringify(el), depth);
      return true;
    }
    if (Array.isArray(o.events) && o.events.every((e) => obj(e)?.message !== undefined)) {
      for (const el of o.events) this.value(el, { ...hint, provider: 'aws' }, JSON.stringify(el), depth);
      return true;
    }
    const rows = logAnalyticsRows(o);
    if (rows) {
      for (const rec of rows) this.value(rec, { ...hint, provider: 'azure' }, JSON.stringify(rec), depth);
      return true;
    }
    // Splunk's search API and `splunk search -output json`: one object per result, the event in _raw.
    if (Array.isArray(o.results) && o.results.length > 0 && o.results.every((r) => typeof obj(r)?._raw === 'string')) {
      for (const el of o.results) this.value(el, hint, JSON.stringify(el), depth);
      return true;
    }
    if (Array.isArray(o.results) && o.results.every(Array.isArray)) {
      for (const row of o.results) {
        const rec = insightsRow(row) ?? {};
        this.value(rec, { ...hint, provider: 'aws' }, JSON.stringify(row), depth);
      }
      return true;
    }
    return false;
  }

  private record(o: Obj, hint: Hint, raw: string | undefined, depth: number): void {
    // First: a SIEM document may also carry `message` (Filebeat keeps the original line there).
    const siem = unwrapSiem(o, hint);
    if (siem) {
      if ('error' in siem) return this.fail(siem.error, raw);
      // What the wrapper holds is a record of any format (a Splunk _raw may hold a GKE LogEntry).
      if (depth >= MAX_ENVELOPE_DEPTH) return this.fail({ code: 'not-audit-event', reason: 'wrappers nested too deep to be an audit export' }, raw);
      return this.value(siem.inner, siem.hint, raw, depth + 1);
    }
    if (isAksRecord(o)) return this.wrapped(unwrapAks(o), 'aks', raw);
    if (isAksTableRow(o)) return this.wrapped(unwrapAksTableRow(o), 'aks', raw);
    if (isAzureDiagnosticsRow(o)) return this.wrapped(unwrapAzureDiagnosticsRow(o), 'aks', raw);
    if (isEksRecord(o)) return this.wrapped(unwrapEks(o, hint), 'eks', raw);
    if (isGkeEntry(o)) {
      const ev = normalizeGke(o, this.nextOrigin());
      if (ev.auditID === '') ev.auditID = syntheticAuditID(o);
      return this.emit(ev, raw);
    }
    if (obj(o.protoPayload)) {
      return this.fail({ code: 'not-audit-event', reason: `Cloud Logging entry for service "${String(obj(o.protoPayload)?.serviceName)}", not k8s.io` }, raw);
    }
    this.raw(o, siemHint(o, hint), 'raw', raw);
  }

  private wrapped(u: Unwrapped, format: SourceFormat, raw: string | undefined): void {
    if ('error' in u) return this.fail(u.error, raw);
    const inner = obj(u.inner);
    if (!inner) return this.fail({ code: 'not-audit-event', reason: `${format.toUpperCase()} record does not hold a JSON object` }, raw);
    this.raw(inner, u.hint, format, raw, [...(u.missing ?? [])]);
  }

  private raw(o: Obj, hint: Hint, format: SourceFormat, raw: string | undefined, missing: string[] = []): void {
    const e = unwrapDatadog(o);
    if (!isRawAuditEvent(e)) return this.fail({ code: 'not-audit-event', reason: describeNonEvent(e) }, raw);
    const ev = normalizeRawEvent(e, missing, { format, provider: hint.provider, cluster: hint.cluster, origin: this.nextOrigin() });
    const wrapperUs = ev.timeUs === 0 ? (hint.timeUs ?? siemTimeUs(e)) : null;
    if (wrapperUs !== null) {
      // The wrapper's time is when the log line was written (or indexed), close to but not the request time.
      ev.timeUs = wrapperUs;
      const i = ev.missing.indexOf('timestamp');
      if (i >= 0) ev.missing[i] = 'requestReceivedTimestamp';
    }
    this.emit(ev, raw);
  }

  private emit(ev: AuditEvent, raw: string | undefined): void {
    markUndated(ev);
    this.out.push({ event: ev, origin: ev.origin, raw });
  }

  private fail(error: DecodeError, raw: string | undefined): void {
    this.out.push({ error, origin: this.nextOrigin(), raw });
  }

  private nextOrigin(): EventOrigin {
    const o = this.origin;
    return { evidenceId: o.evidenceId, path: o.path, line: o.line, record: this.next++ };
  }
}

/** Every reader of an event can tell "time unknown" from a time: timeUs 0 alone looks like 1970. */
function markUndated(ev: AuditEvent): void {
  if (ev.timeUs === 0 && !ev.missing.includes(UNKNOWN_TIME)) ev.missing.push(UNKNOWN_TIME);
}

function describeNonEvent(e: Obj): string {
  const kind = e.kind === undefined ? 'no kind' : `kind ${JSON.stringify(e.kind)}`;
  const api = e.apiVersion === undefined ? 'no apiVersion' : `apiVersion ${JSON.stringify(e.apiVersion)}`;
  return `JSON object is not a Kubernetes audit event (${kind}, ${api}, keys: ${Object.keys(e).slice(0, 6).join(', ')})`;
}

/**
 * Every record in one parsed JSON value, envelopes expanded. Record indices start at
 * origin.record and count up; `raw` is the element's JSON text for envelope elements and
 * undefined when the result is the value itself.
 */
export function decodeValue(value: unknown, origin: EventOrigin): DecodeResult[] {
  const x = new Expander(origin);
  x.value(value, NO_HINT, undefined, 0);
  if (x.out.length === 0) {
    x.out.push({ error: { code: 'empty-envelope', reason: 'envelope or array holds no records' }, origin, raw: undefined });
  }
  return x.out;
}

/**
 * The common case, cheaply: a value that is itself one raw audit Event (no envelope, no cloud
 * wrapper) becomes its event without the expander's bookkeeping; anything else gives undefined
 * and goes through decodeValue.
 */
export function decodePlainEvent(value: unknown, origin: EventOrigin): AuditEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Obj;
  // Re-exports without requestURI take the full path, which reads what the SIEM added (provider, time).
  if (o.attributes !== undefined || typeof o.requestURI !== 'string' || !isRawAuditEvent(o)) return undefined;
  const ev = normalizeRawEvent(o, [], { format: 'raw', provider: null, cluster: null, origin });
  // Undated: a SIEM's own time may stand in, which the full path reads.
  return ev.timeUs === 0 ? undefined : ev;
}

/** One record: the first result of decodeValue (use decodeValue to get every element of an envelope). */
export function decodeRecord(value: unknown, origin: EventOrigin): { event: AuditEvent } | { error: DecodeError } {
  const first = decodeValue(value, origin)[0];
  return first.event ? { event: first.event } : { error: first.error };
}
