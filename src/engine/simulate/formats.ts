import type { Cluster } from './cluster.ts';

/** The managed-cloud envelopes around the same v1 Event, each as its provider's export writes it. */

type Rec = Record<string, unknown> & { stage: string; auditID: string; verb: string; requestURI: string; stageTimestamp: string; requestReceivedTimestamp: string };
interface Ref { resource: string; namespace?: string; name?: string; apiGroup?: string; apiVersion: string; subresource?: string }

/** EKS: a CloudWatch Logs export line, `{timestamp (ms), message (the Event as a string)}`. */
export function eksLine(line: string, stageUs: number): string {
  return `{"timestamp":${Math.floor(stageUs / 1000)},"message":${JSON.stringify(line)}}`;
}

/** AKS: one record of an Event Hubs `{"records":[…]}` batch; properties.log holds the Event as a string. */
export function aksRecord(c: Cluster, line: string, rec: Rec, pod: string): string {
  return JSON.stringify({
    operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    category: 'kube-audit',
    ccpNamespace: c.gcpProject.slice(-6) + '0001a668a5',
    resourceId: c.azureResourceId,
    properties: { log: line + '\n', stream: 'stdout', pod },
    time: rec.stageTimestamp,
  });
}

const RPC: Record<number, number> = { 401: 16, 403: 7, 404: 5, 409: 6, 500: 13 };

function gkeGroup(g: string | undefined): string {
  if (!g) return 'core';
  return g.replace(/\.k8s\.io$/, '').split('.').reverse().join('.');
}

/** gcloud prints every object with its keys sorted, request and response bodies included. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sorted(o[k])]));
}

function gkeType(obj: unknown): string {
  const o = obj as { kind?: string; apiVersion?: string };
  if (!o.kind || !o.apiVersion) return 'k8s.io/Patch';
  const [g, v] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['core', o.apiVersion];
  return `${g.endsWith('.k8s.io') ? g : g + '.k8s.io'}/${v}.${o.kind}`;
}

/**
 * GKE: a Cloud Logging LogEntry with an AuditLog protoPayload, keys sorted as `gcloud logging read
 * --format=json` prints them. GKE keeps one entry per request and carries no user groups.
 */
export function gkeEntry(c: Cluster, rec: Rec): Record<string, unknown> | null {
  if (rec.stage === 'RequestReceived' || (rec.stage === 'ResponseStarted' && rec.verb === 'watch')) return null;
  const ref = rec.objectRef as Ref | undefined;
  const user = rec.user as { username?: string };
  const status = rec.responseStatus as { code: number; message?: string } | undefined;
  const code = status?.code ?? 200;
  const ann = (rec.annotations ?? {}) as Record<string, string>;
  let methodName: string;
  let resourceName: string;
  if (ref) {
    const g = gkeGroup(ref.apiGroup);
    methodName = `io.k8s.${g}.${ref.apiVersion}.${ref.resource}${ref.subresource ? '.' + ref.subresource : ''}.${rec.verb}`;
    resourceName = `${ref.apiGroup ?? 'core'}/${ref.apiVersion}${ref.namespace && ref.resource !== 'namespaces' ? `/namespaces/${ref.namespace}` : ''}/${ref.resource}${ref.name ? '/' + ref.name : ''}${ref.subresource ? '/' + ref.subresource : ''}`;
  } else {
    methodName = `io.k8s.${rec.verb}`;
    resourceName = rec.requestURI.split('?')[0];
  }
  const write = !['get', 'list', 'watch'].includes(rec.verb);
  const payload: Record<string, unknown> = {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    authenticationInfo: user.username ? { principalEmail: user.username } : {},
    authorizationInfo: ann['authorization.k8s.io/decision'] ? [{ granted: ann['authorization.k8s.io/decision'] === 'allow', permission: methodName, resource: resourceName }] : undefined,
    methodName,
    request: rec.requestObject === undefined ? undefined : { '@type': gkeType(rec.requestObject), ...(sorted(rec.requestObject) as object) },
    requestMetadata: { callerIp: (rec.sourceIPs as string[])[0], callerSuppliedUserAgent: rec.userAgent },
    resourceName,
    response: rec.responseObject === undefined ? undefined : sorted(rec.responseObject),
    serviceName: 'k8s.io',
    status: code < 400 ? {} : { code: RPC[code] ?? 2, message: status?.message ?? '' },
  };
  const receiveMs = Date.parse(rec.stageTimestamp) + 700;
  return {
    insertId: rec.auditID,
    labels: ann['authorization.k8s.io/decision'] ? { 'authorization.k8s.io/decision': ann['authorization.k8s.io/decision'], 'authorization.k8s.io/reason': ann['authorization.k8s.io/reason'] ?? '' } : undefined,
    logName: `projects/${c.gcpProject}/logs/cloudaudit.googleapis.com%2F${write ? 'activity' : 'data_access'}`,
    operation: { first: true, id: rec.auditID, last: true, producer: 'k8s.io' },
    protoPayload: payload,
    receiveTimestamp: new Date(receiveMs).toISOString().replace('Z', '000Z'),
    resource: { labels: { cluster_name: c.name, location: c.gcpLocation, project_id: c.gcpProject }, type: 'k8s_cluster' },
    severity: code >= 400 ? 'WARNING' : write ? 'NOTICE' : 'INFO',
    timestamp: rec.requestReceivedTimestamp,
  };
}
