import type { AuditEvent } from '../../../shared/domain.ts';
import { describeEvent } from '../../events/describe.ts';
import { usToRfc3339 } from '../../hunt/time.ts';

/**
 * The full timeline in the shapes a timeline tool imports. Timesketch reads JSON lines and CSV
 * with three required columns: `message` (what the row says), `datetime` (ISO 8601) and
 * `timestamp_desc` (which moment of the thing the time is); every other column becomes a
 * searchable attribute. One row per audit event, in time order.
 */
export const TIMESTAMP_DESC = 'Request Received';

/** Timesketch's data_type names the parser that made a row; ours, so filters can select them. */
export const DATA_TYPE = 'kubernetes:audit:event';

/** Incidents and analyst marks an event belongs to, so the receiving tool can filter by them. */
export interface TimelineContext {
  incidentsOf(auditID: string): readonly string[];
  tagsOf(auditID: string): readonly string[];
}

export const NO_CONTEXT: TimelineContext = { incidentsOf: () => [], tagsOf: () => [] };

/** Column order of the CSV; the JSON lines carry the same keys. */
export const TIMELINE_COLUMNS = [
  'datetime', 'timestamp', 'timestamp_desc', 'message', 'data_type',
  'audit_id', 'user', 'impersonated_user', 'groups', 'source_ip', 'source_ips', 'user_agent',
  'verb', 'resource', 'subresource', 'namespace', 'name', 'api_group', 'request_uri', 'target',
  'response_code', 'decision', 'outcome', 'stage', 'incidents', 'tags', 'evidence_path', 'evidence_line', 'evidence_record',
] as const;

export type TimelineRow = Record<(typeof TIMELINE_COLUMNS)[number], string | number | null>;

/** One event as a timeline row. Log strings pass unaltered: they are data, quoted by each format. */
export function timelineRow(e: AuditEvent, ctx: TimelineContext = NO_CONTEXT): TimelineRow {
  const d = describeEvent(e);
  return {
    datetime: usToRfc3339(e.timeUs),
    // Timesketch's own epoch field is in microseconds, like ours.
    timestamp: e.timeUs,
    timestamp_desc: TIMESTAMP_DESC,
    message: `${e.user}: ${d.summary}`,
    data_type: DATA_TYPE,
    audit_id: e.auditID,
    user: e.user,
    impersonated_user: e.impersonatedUser,
    groups: e.groups.join(' '),
    source_ip: e.sourceIPs[0] ?? null,
    source_ips: e.sourceIPs.join(' '),
    user_agent: e.userAgent,
    verb: e.verb,
    resource: e.resource,
    subresource: e.subresource,
    namespace: e.namespace,
    name: e.name,
    api_group: e.apiGroup,
    request_uri: e.requestURI,
    target: d.target,
    response_code: e.responseCode,
    decision: e.decision,
    outcome: d.outcome,
    stage: e.stage,
    incidents: ctx.incidentsOf(e.auditID).join(' '),
    tags: ctx.tagsOf(e.auditID).join(' '),
    evidence_path: e.origin.path,
    evidence_line: e.origin.line,
    evidence_record: e.origin.record,
  };
}

/** One JSON line: null attributes are left out (Timesketch indexes what is there). */
export function timesketchLine(row: TimelineRow): string {
  const out: Record<string, string | number> = {};
  for (const k of TIMELINE_COLUMNS) {
    const v = row[k];
    if (v !== null && v !== '') out[k] = v;
  }
  return `${JSON.stringify(out)}\n`;
}

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list: = + - @,
 * and tab and carriage return, which some spreadsheets skip before looking). A log string such as
 * a username `=HYPERLINK(...)` must open as text, so such a cell gets a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 ends every record, the header too, with CRLF. */
export const csvHeader = (): string => `${TIMELINE_COLUMNS.join(',')}\r\n`;

export const csvLine = (row: TimelineRow): string => `${TIMELINE_COLUMNS.map((k) => csvField(row[k])).join(',')}\r\n`;
