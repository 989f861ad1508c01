import { nonEmpty, obj, str, type Obj } from './field-table.ts';
import { parseTimeUs } from './time.ts';

/**
 * Cloud wrappers around a raw audit Event: EKS (CloudWatch Logs) and AKS (Azure diagnostic
 * settings). Each unwraps to the event text or object plus what the wrapper knows (cluster, time).
 */

/** What an envelope or wrapper tells about the records inside it. */
export interface Hint {
  provider: string | null;
  cluster: string | null;
  /** Envelope time in µs, used only when the event itself has none. */
  timeUs: number | null;
}

export const NO_HINT: Hint = { provider: null, cluster: null, timeUs: null };

/** CloudWatch marks messages it cut at 256 KiB this way; the JSON is unusable then. */
export const EKS_TRUNCATED_MARK = '[Truncated...]';

/** `missing`: fields the wrapper knows the event lacks (an AKS table's skipped objects). */
export type Unwrapped = { inner: unknown; hint: Hint; missing?: string[] } | { error: { code: string; reason: string } };

/** EKS control-plane log group: /aws/eks/<cluster>/cluster (Logs Insights writes `account:group`). */
export function clusterFromLogGroup(group: string | undefined): string | null {
  if (group === undefined) return null;
  const m = /\/aws\/eks\/([^/]+)\/cluster/.exec(group);
  return m ? m[1] : null;
}

/** A CloudWatch record: `{timestamp, message}`, filter-log-events' `{logStreamName, message…}`, Logs Insights `{@timestamp, @message, @log}`. */
export function isEksRecord(o: Obj): boolean {
  // '@message' is CloudWatch's own name; a bare 'message' needs another CloudWatch key beside it.
  if (o['@message'] !== undefined) return true;
  const m = o.message;
  if (m === undefined) return false;
  if (typeof m !== 'string') return obj(m) !== undefined;
  if (o.timestamp !== undefined || o.logStreamName !== undefined || o['@logStream'] !== undefined) return true;
  // `@timestamp` + `message` is also every Elastic document, whose message is mostly plain text or
  // the original line of an event decoded beside it (then `kind` is there): neither is CloudWatch.
  return o['@timestamp'] !== undefined && o.kind === undefined && m.trimStart().startsWith('{');
}

export function unwrapEks(o: Obj, outer: Hint): Unwrapped {
  const m = o.message ?? o['@message'];
  const cluster = outer.cluster ?? clusterFromLogGroup(str(o['@log']) ?? str(o.logGroup) ?? str(o.logGroupName));
  const hint: Hint = { provider: 'aws', cluster, timeUs: parseTimeUs(o.timestamp) ?? parseTimeUs(o['@timestamp']) ?? outer.timeUs };
  if (typeof m !== 'string') return { inner: m, hint };
  const trimmed = m.trimEnd();
  if (trimmed.endsWith(EKS_TRUNCATED_MARK)) {
    return { error: { code: 'eks-truncated', reason: `CloudWatch truncated this message at ${m.length} characters ("${EKS_TRUNCATED_MARK}"); the event cannot be decoded` } };
  }
  try {
    return { inner: JSON.parse(m), hint };
  } catch (err) {
    return { error: { code: 'json', reason: `EKS message is not valid JSON: ${(err as Error).message}` } };
  }
}

export const AKS_AUDIT_CATEGORIES = new Set(['kube-audit', 'kube-audit-admin']);

export function isAksRecord(o: Obj): boolean {
  return typeof o.category === 'string' && obj(o.properties) !== undefined;
}

export function clusterFromResourceId(id: string | undefined): string | null {
  if (id === undefined) return null;
  const m = /\/managedclusters\/([^/]+)/i.exec(id);
  return m ? m[1] : null;
}

export function unwrapAks(o: Obj): Unwrapped {
  const category = o.category as string;
  if (!AKS_AUDIT_CATEGORIES.has(category)) {
    return { error: { code: 'not-audit-event', reason: `AKS diagnostic record of category "${category}", not kube-audit or kube-audit-admin` } };
  }
  const props = obj(o.properties) ?? {};
  const hint: Hint = { provider: 'azure', cluster: clusterFromResourceId(nonEmpty(o.resourceId)), timeUs: parseTimeUs(o.time) };
  const log = props.log;
  if (typeof log === 'string') {
    try {
      return { inner: JSON.parse(log), hint };
    } catch (err) {
      return { error: { code: 'json', reason: `AKS properties.log is not valid JSON: ${(err as Error).message}` } };
    }
  }
  if (obj(log)) return { inner: log, hint };
  return { error: { code: 'not-audit-event', reason: 'AKS record has no properties.log' } };
}

/** Logs Insights `get-query-results` rows are `[{field, value}, …]`; make them records. */
export function insightsRow(row: unknown): Obj | undefined {
  if (!Array.isArray(row)) return undefined;
  const out: Obj = {};
  for (const cell of row) {
    const c = obj(cell);
    if (c && typeof c.field === 'string') out[c.field] = c.value;
  }
  return out;
}
