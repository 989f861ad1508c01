import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../shared/domain.ts';
import { applyTable, int, nil, nonEmpty, obj, str, stringMap, strArray, emptyList, emptyString, type FieldTable, type Obj, type Wrapper } from './field-table.ts';
import { parseTimeUs } from './time.ts';

/**
 * audit.k8s.io Event (v1, v1beta1, or no apiVersion as Falco's traces have) → normalized fields.
 * Datadog-enriched copies (the Stratus Red Team samples) move `verb` and the response code under
 * `http`; those are read as fallbacks so such events still decode.
 */
const objectRef = (e: Obj): Obj | undefined => obj(e.objectRef);
const user = (e: Obj): Obj | undefined => obj(e.user);
const impersonated = (e: Obj): Obj | undefined => obj(e.impersonatedUser);
const annotation = (e: Obj, key: string): string | undefined => str(obj(e.annotations)?.[key]);

function eventTime(e: Obj): number | undefined {
  // v1beta1 wrote `timestamp`; v1 replaced it by requestReceivedTimestamp.
  return parseTimeUs(e.requestReceivedTimestamp) ?? parseTimeUs(e.timestamp) ?? parseTimeUs(e.stageTimestamp) ?? undefined;
}

export const RAW_EVENT_FIELDS: FieldTable = {
  auditID: { from: 'auditID', get: (e) => nonEmpty(e.auditID), fallback: emptyString, missing: 'auditID' },
  timeUs: { from: 'requestReceivedTimestamp | timestamp (v1beta1) | stageTimestamp', get: eventTime, fallback: () => 0, missing: 'timestamp' },
  stageTimeUs: { from: 'stageTimestamp', get: (e) => parseTimeUs(e.stageTimestamp) ?? undefined, fallback: nil },
  stage: { from: 'stage', get: (e) => nonEmpty(e.stage), fallback: emptyString, missing: 'stage' },
  stages: { from: 'stage', get: (e) => (typeof e.stage === 'string' && e.stage !== '' ? [e.stage] : undefined), fallback: emptyList },
  level: { from: 'level', get: (e) => nonEmpty(e.level), fallback: emptyString, missing: 'level' },
  verb: { from: 'verb | http.method (Datadog)', get: (e) => nonEmpty(e.verb) ?? nonEmpty(obj(e.http)?.method), fallback: emptyString, missing: 'verb' },
  user: { from: 'user.username', get: (e) => str(user(e)?.username), fallback: emptyString, missing: 'user' },
  groups: { from: 'user.groups', get: (e) => strArray(user(e)?.groups), fallback: emptyList },
  uid: { from: 'user.uid', get: (e) => nonEmpty(user(e)?.uid), fallback: nil },
  impersonatedUser: { from: 'impersonatedUser.username', get: (e) => str(impersonated(e)?.username), fallback: nil },
  impersonatedGroups: { from: 'impersonatedUser.groups', get: (e) => strArray(impersonated(e)?.groups), fallback: emptyList },
  sourceIPs: { from: 'sourceIPs', get: (e) => strArray(e.sourceIPs), fallback: emptyList, missing: 'sourceIPs' },
  userAgent: { from: 'userAgent', get: (e) => str(e.userAgent), fallback: nil },
  resource: { from: 'objectRef.resource', get: (e) => nonEmpty(objectRef(e)?.resource), fallback: nil },
  subresource: { from: 'objectRef.subresource', get: (e) => nonEmpty(objectRef(e)?.subresource), fallback: nil },
  namespace: { from: 'objectRef.namespace', get: (e) => nonEmpty(objectRef(e)?.namespace), fallback: nil },
  name: { from: 'objectRef.name', get: (e) => nonEmpty(objectRef(e)?.name), fallback: nil },
  apiGroup: { from: 'objectRef.apiGroup', get: (e) => nonEmpty(objectRef(e)?.apiGroup), fallback: nil },
  apiVersion: { from: 'objectRef.apiVersion', get: (e) => nonEmpty(objectRef(e)?.apiVersion), fallback: nil },
  requestURI: { from: 'requestURI | rebuilt from http.url_details.path or objectRef (re-exports)', get: (e) => str(e.requestURI), fallback: emptyString, missing: 'requestURI' },
  responseCode: { from: 'responseStatus.code | http.status_code (Datadog)', get: (e) => int(obj(e.responseStatus)?.code) ?? int(obj(e.http)?.status_code), fallback: nil },
  decision: { from: "annotations['authorization.k8s.io/decision']", get: (e) => annotation(e, 'authorization.k8s.io/decision'), fallback: nil },
  reason: { from: "annotations['authorization.k8s.io/reason']", get: (e) => annotation(e, 'authorization.k8s.io/reason'), fallback: nil },
  annotations: { from: 'annotations (string values)', get: (e) => stringMap(e.annotations), fallback: () => ({}) },
  requestObject: { from: 'requestObject', get: (e) => e.requestObject ?? undefined, fallback: nil },
  responseObject: { from: 'responseObject', get: (e) => e.responseObject ?? undefined, fallback: nil },
};

/**
 * Whether a JSON object is a Kubernetes audit Event. `kind: "Event"` alone is not enough
 * (core/v1 Events share it), so the apiVersion must be audit's when present, and an object with
 * neither kind nor apiVersion must at least carry requestURI and a verb or stage.
 *
 * SIEMs and data lakes (Panther, Datadog, Elastic, Splunk) re-export events without apiVersion
 * and requestURI, beside fields of their own: those are audit events when the core is there, a
 * verb and an objectRef (fields only audit events have; a core/v1 Event has involvedObject and
 * no verb) plus who asked or what came back. kind must then be "Event", or absent with an auditID.
 */
export function isRawAuditEvent(e: Obj): boolean {
  const apiVersion = e.apiVersion;
  if (apiVersion !== undefined) {
    return typeof apiVersion === 'string' && apiVersion.startsWith('audit.k8s.io/') && (e.kind === undefined || e.kind === 'Event');
  }
  if (e.kind !== undefined && e.kind !== 'Event') return false;
  if (typeof e.requestURI !== 'string') return isReExportedEvent(e);
  return e.kind === 'Event' || typeof e.verb === 'string' || typeof e.stage === 'string' || typeof e.auditID === 'string';
}

function isReExportedEvent(e: Obj): boolean {
  if (e.kind !== 'Event' && typeof e.auditID !== 'string') return false;
  if (nonEmpty(e.verb) === undefined && nonEmpty(obj(e.http)?.method) === undefined) return false;
  if (!objectRef(e)) return false;
  return user(e) !== undefined || obj(e.responseStatus) !== undefined || typeof e.auditID === 'string' || typeof e.stage === 'string';
}

/**
 * The path of a request whose record lost requestURI: Datadog's `http.url_details.path` when
 * there, else the path kube-apiserver serves the objectRef at. Query strings are gone either way.
 */
export function rebuiltRequestURI(e: Obj): string | undefined {
  const path = nonEmpty(obj(obj(e.http)?.url_details)?.path);
  if (path !== undefined) return path;
  const ref = objectRef(e);
  const resource = nonEmpty(ref?.resource);
  if (!ref || resource === undefined) return undefined;
  const group = nonEmpty(ref.apiGroup);
  const version = nonEmpty(ref.apiVersion) ?? (group === undefined ? 'v1' : undefined);
  const segs = group === undefined ? ['api', version] : ['apis', group, version];
  const ns = nonEmpty(ref.namespace);
  // A namespace object names itself as its namespace; it is not nested under it.
  if (ns !== undefined && resource !== 'namespaces') segs.push('namespaces', ns);
  segs.push(resource, nonEmpty(ref.name), nonEmpty(ref.subresource));
  return `/${segs.filter((x) => x !== undefined).join('/')}`;
}

/** Datadog's log pipeline moves most event keys under `attributes`; put them back at the top. */
export function unwrapDatadog(e: Obj): Obj {
  const attrs = obj(e.attributes);
  if (!attrs || !(typeof attrs.requestURI === 'string' || obj(attrs.objectRef) || obj(attrs.http))) return e;
  const merged: Obj = { ...attrs, ...e };
  delete merged.attributes;
  return merged;
}

export function normalizeRawEvent(e: Obj, missing: string[], w: Wrapper): AuditEvent {
  const n = applyTable(RAW_EVENT_FIELDS, e, missing, w);
  if (n.auditID === '') n.auditID = syntheticAuditID(e);
  // `missing` keeps 'requestURI': the path is rebuilt, the record did not hold it.
  if (n.requestURI === '') n.requestURI = rebuiltRequestURI(e) ?? '';
  return n;
}

/**
 * Events without an auditID (pre-1.8 logs, enriched copies) still need a stable key for the
 * store's dedupe; a content hash gives the same id to the same record, whichever file it is in.
 */
export function syntheticAuditID(v: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 32)}`;
}
