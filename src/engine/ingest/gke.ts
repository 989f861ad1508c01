import type { AuditEvent, EventOrigin } from '../../shared/domain.ts';
import { applyTable, emptyList, emptyString, int, nil, nonEmpty, obj, str, stringMap, type FieldTable, type Obj } from './field-table.ts';
import { parseTimeUs } from './time.ts';

/**
 * GKE Cloud Logging LogEntry whose protoPayload is a google.cloud.audit.AuditLog for serviceName
 * "k8s.io" (as `gcloud logging read --format=json` and log sinks write them) → normalized fields.
 */

export function isGkeEntry(e: Obj): boolean {
  const pp = obj(e.protoPayload);
  if (pp === undefined) return false;
  if (pp.serviceName === 'k8s.io' || obj(e.resource)?.type === 'k8s_cluster') return true;
  // Sinks and re-exports that keep only protoPayload: Kubernetes' method names say what it is.
  return pp.serviceName === undefined && str(pp.methodName)?.startsWith('io.k8s.') === true;
}

/** resourceName `core/v1/namespaces/ns/pods/name/exec` taken apart. */
export interface GkeResource {
  apiGroup: string | null;
  apiVersion: string | null;
  namespace: string | null;
  resource: string | null;
  name: string | null;
  subresource: string | null;
  /** The path kube-apiserver would have served, without query string (GKE does not log it). */
  path: string;
}

/**
 * First path segments kube-apiserver serves outside the resource API. GKE names such a request
 * `core/v1/healthz` as if it were a resource; the apiserver served `/healthz`.
 */
export const NON_RESOURCE_ROOTS = new Set(['healthz', 'livez', 'readyz', 'version', 'metrics', 'openapi', 'openid', '.well-known', 'logs', 'debug', 'swagger.json', 'swaggerapi']);

export function parseResourceName(resourceName: string): GkeResource {
  let segs = resourceName.split('/').filter((s) => s !== '');
  // Only under core: a custom resource may well be called `logs` or `metrics` in its own group.
  if (segs.length >= 3 && segs[0] === 'core' && NON_RESOURCE_ROOTS.has(segs[2])) segs = segs.slice(2);
  const none: GkeResource = { apiGroup: null, apiVersion: null, namespace: null, resource: null, name: null, subresource: null, path: `/${segs.join('/')}` };
  // Non-resource URLs (/version, /healthz) have no group/version/resource triple.
  if (segs.length < 3 || NON_RESOURCE_ROOTS.has(segs[0])) return none;
  const [group, version] = segs;
  let rest = segs.slice(2);
  let namespace: string | null = null;
  // A namespace object is namespaced by itself in kube-apiserver's RequestInfo (namespace = name).
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1];
    if (rest.length > 2) rest = rest.slice(2);
  }
  const apiGroup = group === 'core' ? '' : group;
  const root = group === 'core' ? `/api/${version}` : `/apis/${group}/${version}`;
  return {
    apiGroup,
    apiVersion: version,
    namespace,
    resource: rest[0] ?? null,
    name: rest[1] ?? null,
    subresource: rest.length > 2 ? rest.slice(2).join('/') : null,
    path: `${root}/${segs.slice(2).join('/')}`,
  };
}

/** Verbs kube-apiserver authorizes; methodName ends in one (`io.k8s.core.v1.pods.exec.create`). */
export const K8S_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy', 'connect', 'impersonate', 'bind', 'escalate', 'approve', 'sign', 'use']);

export function verbFromMethod(methodName: string): string | undefined {
  const last = methodName.slice(methodName.lastIndexOf('.') + 1).toLowerCase();
  return K8S_VERBS.has(last) ? last : undefined;
}

/** google.rpc.Code → the HTTP status kube-apiserver returned (grpc-gateway's mapping). */
export const GRPC_TO_HTTP: readonly number[] = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];

export function httpFromGrpc(status: unknown, granted?: boolean): number | undefined {
  const s = obj(status);
  // An empty or absent status is OK (code 0): Cloud Logging drops zero-valued proto fields. But
  // a refused authorization with no status is not a success: the apiserver answered 403.
  const code = s === undefined ? 0 : (int(s.code) ?? 0);
  if (code === 0 && granted === false) return 403;
  return GRPC_TO_HTTP[code];
}

/**
 * What authorizationInfo says: false when any check was refused (one refusal refuses the
 * request), true when every check was granted, undefined when there are none.
 */
export function authorizationGranted(pp: Obj): boolean | undefined {
  const info = pp.authorizationInfo;
  if (!Array.isArray(info)) return undefined;
  let seen = false;
  for (const a of info) {
    // An entry without `granted` says nothing either way (proto3 drops false, but so do lossy
    // re-exports): denials without it are told by their status (7 → 403) instead.
    const g = obj(a)?.granted;
    if (g === false) return false;
    if (g === true) seen = true;
  }
  return seen ? true : undefined;
}

interface GkeView {
  entry: Obj;
  pp: Obj;
  ref: GkeResource;
  labels: Record<string, string>;
}

const request = (v: GkeView): Obj | undefined => obj(v.pp.requestMetadata);
const authn = (v: GkeView): Obj | undefined => obj(v.pp.authenticationInfo);
// Cloud Logging writes callerIp; some sinks and re-exports spell it callerIP.
const callerIp = (v: GkeView): string | undefined => nonEmpty(request(v)?.callerIp) ?? nonEmpty(request(v)?.callerIP);
const nullable = <T>(x: T | null): T | undefined => (x === null ? undefined : x);

export const GKE_FIELDS: FieldTable<GkeView> = {
  auditID: { from: 'insertId', get: (v) => nonEmpty(v.entry.insertId), fallback: emptyString, missing: 'auditID' },
  timeUs: { from: 'timestamp', get: (v) => parseTimeUs(v.entry.timestamp) ?? undefined, fallback: () => 0, missing: 'timestamp' },
  stageTimeUs: { from: '(not exported)', get: () => undefined, fallback: nil, missing: 'stageTimestamp' },
  stage: { from: '(not exported: GKE logs completed requests)', get: () => undefined, fallback: () => 'ResponseComplete', missing: 'stage' },
  stages: { from: '(not exported)', get: () => undefined, fallback: () => ['ResponseComplete'] },
  level: {
    from: 'protoPayload.request/response presence',
    get: (v) => (v.pp.response !== undefined ? 'RequestResponse' : v.pp.request !== undefined ? 'Request' : 'Metadata'),
    fallback: emptyString,
  },
  verb: { from: 'protoPayload.methodName (last segment)', get: (v) => verbFromMethod(str(v.pp.methodName) ?? ''), fallback: emptyString, missing: 'verb' },
  // Callers federated from a third-party identity provider have a principalSubject instead of an email.
  // authoritySelector is what the caller asked to act as; with no principal beside it, it is the only name there is.
  user: {
    from: 'protoPayload.authenticationInfo.principalEmail | principalSubject | authoritySelector',
    get: (v) => nonEmpty(authn(v)?.principalEmail) ?? nonEmpty(authn(v)?.principalSubject) ?? nonEmpty(authn(v)?.authoritySelector),
    fallback: emptyString,
    missing: 'user',
  },
  groups: { from: '(not exported)', get: () => undefined, fallback: emptyList, missing: 'groups' },
  uid: { from: '(not exported)', get: () => undefined, fallback: nil, missing: 'uid' },
  impersonatedUser: { from: '(not exported)', get: () => undefined, fallback: nil, missing: 'impersonatedUser' },
  impersonatedGroups: { from: '(not exported)', get: () => undefined, fallback: emptyList },
  sourceIPs: { from: 'protoPayload.requestMetadata.callerIp | callerIP', get: (v) => { const ip = callerIp(v); return ip === undefined ? undefined : [ip]; }, fallback: emptyList, missing: 'sourceIPs' },
  userAgent: { from: 'protoPayload.requestMetadata.callerSuppliedUserAgent', get: (v) => str(request(v)?.callerSuppliedUserAgent), fallback: nil },
  resource: { from: 'protoPayload.resourceName', get: (v) => nullable(v.ref.resource), fallback: nil },
  subresource: { from: 'protoPayload.resourceName', get: (v) => nullable(v.ref.subresource), fallback: nil },
  namespace: { from: 'protoPayload.resourceName', get: (v) => nullable(v.ref.namespace), fallback: nil },
  name: { from: 'protoPayload.resourceName', get: (v) => nullable(v.ref.name), fallback: nil },
  apiGroup: { from: 'protoPayload.resourceName', get: (v) => nullable(v.ref.apiGroup), fallback: nil },
  apiVersion: { from: 'protoPayload.resourceName', get: (v) => nullable(v.ref.apiVersion), fallback: nil },
  requestURI: { from: 'rebuilt from protoPayload.resourceName (no query string)', get: (v) => (typeof v.pp.resourceName === 'string' ? v.ref.path : undefined), fallback: emptyString, missing: 'requestURI' },
  responseCode: { from: 'protoPayload.status.code (gRPC → HTTP; 403 when authorizationInfo refused)', get: (v) => httpFromGrpc(v.pp.status, authorizationGranted(v.pp)), fallback: nil },
  decision: {
    from: "labels['authorization.k8s.io/decision'] | protoPayload.authorizationInfo[].granted",
    get: (v) => v.labels['authorization.k8s.io/decision'] ?? grantedDecision(v.pp),
    fallback: nil,
  },
  reason: { from: "labels['authorization.k8s.io/reason']", get: (v) => v.labels['authorization.k8s.io/reason'], fallback: nil },
  annotations: { from: 'labels', get: (v) => v.labels, fallback: () => ({}) },
  requestObject: { from: 'protoPayload.request', get: (v) => v.pp.request ?? undefined, fallback: nil },
  responseObject: { from: 'protoPayload.response', get: (v) => v.pp.response ?? undefined, fallback: nil },
};

function grantedDecision(pp: Obj): string | undefined {
  const granted = authorizationGranted(pp);
  return granted === true ? 'allow' : granted === false ? 'forbid' : undefined;
}

export function normalizeGke(entry: Obj, origin: EventOrigin): AuditEvent {
  const pp = obj(entry.protoPayload) ?? {};
  const ref = parseResourceName(str(pp.resourceName) ?? '');
  const view: GkeView = { entry, pp, ref, labels: stringMap(entry.labels) ?? {} };
  const cluster = nonEmpty(obj(obj(entry.resource)?.labels)?.cluster_name) ?? null;
  const ev = applyTable(GKE_FIELDS, view, [], { format: 'gke', provider: 'gcp', cluster, origin });
  // The path is rebuilt from resourceName; query parameters (exec commands, watch flags) are lost.
  if (ev.requestURI !== '') ev.missing.push('requestURI.query');
  return ev;
}
