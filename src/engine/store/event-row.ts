import type { AuditEvent, SourceFormat } from '../../shared/domain.ts';

/**
 * An event flattened to the column values of the `events` table, plus its raw text and where it
 * was read. Pure (no database) so that the ingest worker can build rows off the writer's thread:
 * the JSON.stringify of request/response objects is the costly part and belongs on the reader's
 * core, not the writer's.
 *
 * Tuple layout: `events` column order after `id`, the origin last, so a row binds as it is. The raw
 * text travels beside the rows (a parallel array), as it does in the reader's EventBatch.
 */
export type EventTuple = [
  auditID: string,
  timeUs: number,
  stageTimeUs: number | null,
  stage: string,
  stages: string,
  level: string,
  verb: string,
  user: string,
  groups: string,
  uid: string | null,
  impersonatedUser: string | null,
  impersonatedGroups: string,
  sourceIP: string | null,
  sourceIPs: string,
  userAgent: string | null,
  resource: string | null,
  subresource: string | null,
  namespace: string | null,
  name: string | null,
  apiGroup: string | null,
  apiVersion: string | null,
  requestURI: string,
  responseCode: number | null,
  decision: string | null,
  reason: string | null,
  annotations: string,
  requestObject: string | null,
  responseObject: string | null,
  format: string,
  provider: string | null,
  cluster: string | null,
  missing: string,
  /** Evidence id in the store, or a caller-side key the writer maps to one. */
  originKey: number,
  originLine: number,
  originRecord: number,
];

export const ROW_AUDIT_ID = 0;
export const ROW_TIME = 1;
export const ROW_STAGE = 3;
export const ROW_STAGES = 4;
export const ROW_VERB = 6;
export const ROW_USER = 7;
export const ROW_URI = 21;
export const ROW_CODE = 22;
export const ROW_FORMAT = 28;
export const ROW_ORIGIN = 32;
export const ROW_LINE = 33;
export const ROW_RECORD = 34;

const jsonOrNull = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

const ANY_SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udfff]/gu;

/**
 * An auditID as a key SQLite can hold. JSON can spell lone UTF-16 surrogates (`"\ud800"`), which
 * UTF-8 cannot: bound as they are they all become U+FFFD and distinct ids collapse into one. They
 * are written out as their escape text instead (`\ud800`), as JSON.stringify does.
 */
export function storableAuditID(id: string): string {
  // Any surrogate at all is rare in an auditID (UUIDs are ASCII); in unicode mode a pair is one
  // code point outside the class, so only lone ones are rewritten.
  if (!ANY_SURROGATE.test(id)) return id;
  return id.replace(LONE_SURROGATE, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export function toEventTuple(e: AuditEvent, originKey = e.origin.evidenceId): EventTuple {
  return [
    storableAuditID(e.auditID),
    e.timeUs,
    e.stageTimeUs,
    e.stage,
    JSON.stringify(e.stages),
    e.level,
    e.verb,
    e.user,
    JSON.stringify(e.groups),
    e.uid,
    e.impersonatedUser,
    JSON.stringify(e.impersonatedGroups),
    e.sourceIPs.length > 0 ? e.sourceIPs[0] : null,
    JSON.stringify(e.sourceIPs),
    e.userAgent,
    e.resource,
    e.subresource,
    e.namespace,
    e.name,
    e.apiGroup,
    e.apiVersion,
    e.requestURI,
    e.responseCode,
    e.decision,
    e.reason,
    JSON.stringify(e.annotations),
    jsonOrNull(e.requestObject),
    jsonOrNull(e.responseObject),
    e.format,
    e.provider,
    e.cluster,
    JSON.stringify(e.missing),
    originKey,
    e.origin.line,
    e.origin.record,
  ];
}

/** A row of `events` joined with its origin path, as read back. */
export interface StoredEventRow {
  audit_id: string;
  time_us: number;
  stage_time_us: number | null;
  stage: string;
  stages: string;
  level: string;
  verb: string;
  user: string;
  groups: string;
  uid: string | null;
  impersonated_user: string | null;
  impersonated_groups: string;
  source_ips: string;
  user_agent: string | null;
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
  name: string | null;
  api_group: string | null;
  api_version: string | null;
  request_uri: string;
  response_code: number | null;
  decision: string | null;
  reason: string | null;
  annotations: string;
  request_object: string | null;
  response_object: string | null;
  format: string;
  provider: string | null;
  cluster: string | null;
  missing: string;
  origin_evidence: number;
  origin_path: string;
  origin_line: number;
  origin_record: number;
}

const parseOrNull = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

export function fromStoredRow(r: StoredEventRow): AuditEvent {
  return {
    auditID: r.audit_id,
    timeUs: r.time_us,
    stageTimeUs: r.stage_time_us,
    stage: r.stage,
    stages: JSON.parse(r.stages) as string[],
    level: r.level,
    verb: r.verb,
    user: r.user,
    groups: JSON.parse(r.groups) as string[],
    uid: r.uid,
    impersonatedUser: r.impersonated_user,
    impersonatedGroups: JSON.parse(r.impersonated_groups) as string[],
    sourceIPs: JSON.parse(r.source_ips) as string[],
    userAgent: r.user_agent,
    resource: r.resource,
    subresource: r.subresource,
    namespace: r.namespace,
    name: r.name,
    apiGroup: r.api_group,
    apiVersion: r.api_version,
    requestURI: r.request_uri,
    responseCode: r.response_code,
    decision: r.decision,
    reason: r.reason,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    requestObject: parseOrNull(r.request_object),
    responseObject: parseOrNull(r.response_object),
    format: r.format as SourceFormat,
    provider: r.provider,
    cluster: r.cluster,
    missing: JSON.parse(r.missing) as string[],
    origin: { evidenceId: r.origin_evidence, path: r.origin_path, line: r.origin_line, record: r.origin_record },
  };
}

/**
 * Stage precedence for dedupe: the most complete record of a request wins. Panic ends a request
 * as surely as ResponseComplete does, so it ranks with it (the first one seen is kept on a tie).
 */
export function stageRank(stage: string): number {
  switch (stage) {
    case 'ResponseComplete':
    case 'Panic':
      return 3;
    case 'ResponseStarted':
      return 2;
    case 'RequestReceived':
      return 1;
    default:
      return 0;
  }
}
