import type { AuditEvent, SourceFormat } from '../../shared/domain.ts';

/**
 * An event flattened to the column values of the `events` table, plus its raw text and where it
 * was read. Pure (no database) so that the ingest worker can build rows off the writer's thread:
 * the JSON.stringify of the detail object is the costly part and belongs on the reader's core, not
 * the writer's.
 *
 * Tuple layout: the `events` columns the insert names, in that order, the origin last, so a row
 * binds as it is. Fields no pivot reads travel as one JSON text, `detail` (migration 008). The raw
 * text travels beside the rows (a parallel array), as it does in the reader's EventBatch.
 */
export type EventRow = [
  auditID: string,
  timeUs: number,
  stage: string,
  stages: string,
  verb: string,
  user: string,
  sourceIP: string | null,
  resource: string | null,
  subresource: string | null,
  namespace: string | null,
  name: string | null,
  requestURI: string,
  responseCode: number | null,
  decision: string | null,
  format: string,
  detail: string,
  /** Evidence id in the store, or a caller-side key the writer maps to one. */
  originKey: number,
  originLine: number,
  originRecord: number,
];

/** The `events` columns an EventRow fills, in its order. */
export const EVENT_ROW_COLUMNS = [
  'audit_id', 'time_us', 'stage', 'stages', 'verb', 'user', 'source_ip', 'resource', 'subresource', 'namespace', 'name',
  'request_uri', 'response_code', 'decision', 'format', 'detail', 'origin_evidence', 'origin_line', 'origin_record',
] as const;

export const ROW_AUDIT_ID = 0;
export const ROW_STAGE = 2;
export const ROW_STAGES = 3;
export const ROW_ORIGIN = 16;
export const ROW_LINE = 17;
export const ROW_RECORD = 18;

/**
 * The fields kept in `events.detail` (migration 008's DETAIL_FIELDS). A key whose value is null or
 * an empty list is left out (readers default it): most events carry no impersonation, objects,
 * provider or cluster, and a shorter text is less to stringify, bind and write.
 */
export interface EventDetail {
  stageTimeUs?: number | null;
  level: string;
  groups?: string[];
  uid?: string | null;
  impersonatedUser?: string | null;
  impersonatedGroups?: string[];
  sourceIPs?: string[];
  userAgent?: string | null;
  apiGroup?: string | null;
  apiVersion?: string | null;
  reason?: string | null;
  annotations?: Record<string, string>;
  requestObject?: unknown;
  responseObject?: unknown;
  provider?: string | null;
  cluster?: string | null;
  missing?: string[];
}

function detailOf(e: AuditEvent): EventDetail {
  const d: EventDetail = { level: e.level };
  if (e.stageTimeUs !== null) d.stageTimeUs = e.stageTimeUs;
  if (e.groups.length > 0) d.groups = e.groups;
  if (e.uid !== null) d.uid = e.uid;
  if (e.impersonatedUser !== null) d.impersonatedUser = e.impersonatedUser;
  if (e.impersonatedGroups.length > 0) d.impersonatedGroups = e.impersonatedGroups;
  if (e.sourceIPs.length > 0) d.sourceIPs = e.sourceIPs;
  if (e.userAgent !== null) d.userAgent = e.userAgent;
  if (e.apiGroup !== null) d.apiGroup = e.apiGroup;
  if (e.apiVersion !== null) d.apiVersion = e.apiVersion;
  if (e.reason !== null) d.reason = e.reason;
  d.annotations = e.annotations;
  if (e.requestObject !== undefined && e.requestObject !== null) d.requestObject = e.requestObject;
  if (e.responseObject !== undefined && e.responseObject !== null) d.responseObject = e.responseObject;
  if (e.provider !== null) d.provider = e.provider;
  if (e.cluster !== null) d.cluster = e.cluster;
  if (e.missing.length > 0) d.missing = e.missing;
  return d;
}

export function toEventRow(e: AuditEvent, originKey = e.origin.evidenceId): EventRow {
  return [
    e.auditID,
    e.timeUs,
    e.stage,
    JSON.stringify(e.stages),
    e.verb,
    e.user,
    e.sourceIPs.length > 0 ? e.sourceIPs[0] : null,
    e.resource,
    e.subresource,
    e.namespace,
    e.name,
    e.requestURI,
    e.responseCode,
    e.decision,
    e.format,
    JSON.stringify(detailOf(e)),
    originKey,
    e.origin.line,
    e.origin.record,
  ];
}

/** A row of `events` joined with its origin path, as read back. */
export interface StoredEventRow {
  audit_id: string;
  time_us: number;
  stage: string;
  stages: string;
  verb: string;
  user: string;
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
  name: string | null;
  request_uri: string;
  response_code: number | null;
  decision: string | null;
  format: string;
  detail: string;
  origin_evidence: number;
  origin_path: string;
  origin_line: number;
  origin_record: number;
}

export function fromStoredRow(r: StoredEventRow): AuditEvent {
  const d = JSON.parse(r.detail) as EventDetail;
  return {
    auditID: r.audit_id,
    timeUs: r.time_us,
    stageTimeUs: d.stageTimeUs ?? null,
    stage: r.stage,
    stages: JSON.parse(r.stages) as string[],
    level: d.level,
    verb: r.verb,
    user: r.user,
    groups: d.groups ?? [],
    uid: d.uid ?? null,
    impersonatedUser: d.impersonatedUser ?? null,
    impersonatedGroups: d.impersonatedGroups ?? [],
    sourceIPs: d.sourceIPs ?? [],
    userAgent: d.userAgent ?? null,
    resource: r.resource,
    subresource: r.subresource,
    namespace: r.namespace,
    name: r.name,
    apiGroup: d.apiGroup ?? null,
    apiVersion: d.apiVersion ?? null,
    requestURI: r.request_uri,
    responseCode: r.response_code,
    decision: r.decision,
    reason: d.reason ?? null,
    annotations: d.annotations ?? {},
    requestObject: d.requestObject ?? null,
    responseObject: d.responseObject ?? null,
    format: r.format as SourceFormat,
    provider: d.provider ?? null,
    cluster: d.cluster ?? null,
    missing: d.missing ?? [],
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
