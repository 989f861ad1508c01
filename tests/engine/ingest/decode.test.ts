import { describe, expect, it } from 'vitest';
import { decodeRecord, decodeValue } from '../../../src/engine/ingest/index.ts';
import { parseResourceName, verbFromMethod } from '../../../src/engine/ingest/gke.ts';
import { parseTimeUs } from '../../../src/engine/ingest/time.ts';
import type { AuditEvent, EventOrigin } from '../../../src/shared/domain.ts';
import { decodedEvent } from './helpers.ts';

const origin: EventOrigin = { evidenceId: 7, path: 'bundle!/x.json', line: 3, record: 0 };
const T0 = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000;

const event = (v: unknown): AuditEvent => decodedEvent(v, origin);

const rawV1 = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'RequestResponse',
  auditID: 'a-1',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/prod/pods/web-0/exec?command=sh',
  verb: 'create',
  user: { username: 'mallory', uid: 'u1', groups: ['system:authenticated'] },
  impersonatedUser: { username: 'system:admin', groups: ['system:masters'] },
  sourceIPs: ['203.0.113.9', '10.0.0.1'],
  userAgent: 'kubectl/v1.30.0',
  objectRef: { resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web-0', apiVersion: 'v1' },
  responseStatus: { metadata: {}, code: 101 },
  requestObject: { kind: 'PodExecOptions' },
  requestReceivedTimestamp: '2024-05-01T10:00:00.123456Z',
  stageTimestamp: '2024-05-01T10:00:00.999999Z',
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed' },
};

describe('raw audit.k8s.io events', () => {
  it('maps every field of a v1 event', () => {
    const e = event(rawV1);
    expect(e).toMatchObject({
      auditID: 'a-1', timeUs: T0 + 123456, stageTimeUs: T0 + 999999, stage: 'ResponseComplete', stages: ['ResponseComplete'],
      level: 'RequestResponse', verb: 'create', user: 'mallory', groups: ['system:authenticated'], uid: 'u1',
      impersonatedUser: 'system:admin', impersonatedGroups: ['system:masters'], sourceIPs: ['203.0.113.9', '10.0.0.1'],
      userAgent: 'kubectl/v1.30.0', resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web-0', apiGroup: null,
      apiVersion: 'v1', requestURI: rawV1.requestURI, responseCode: 101, decision: 'allow', reason: 'RBAC: allowed',
      requestObject: { kind: 'PodExecOptions' }, responseObject: null, format: 'raw', provider: null, cluster: null, missing: [],
    });
    expect(e.origin).toEqual(origin);
  });

  it('reads v1beta1 `timestamp` and events without apiVersion', () => {
    const { apiVersion: _a, requestReceivedTimestamp: _r, ...rest } = rawV1;
    const e = event({ ...rest, timestamp: '2024-05-01T10:00:00Z' });
    expect(e.timeUs).toBe(T0);
    expect(event({ ...rawV1, apiVersion: 'audit.k8s.io/v1beta1' }).timeUs).toBe(T0 + 123456);
  });

  it('refuses objects that are not audit events', () => {
    for (const v of [{ kind: 0 }, { kind: 'Event', apiVersion: 'v1', reason: 'Scheduled' }, { hello: 'world' }, 'text', 42, null]) {
      const r = decodeRecord(v, origin);
      expect('error' in r && r.error.code).toBe('not-audit-event');
    }
  });
});

describe('timestamps', () => {
  it('keeps microseconds, truncates nanoseconds, honours offsets and epoch numbers', () => {
    expect(parseTimeUs('2024-05-01T10:00:00.123456789Z')).toBe(T0 + 123456);
    expect(parseTimeUs('2024-05-01T10:00:00.1Z')).toBe(T0 + 100000);
    expect(parseTimeUs('2024-05-01T12:00:00.5+02:00')).toBe(T0 + 500000);
    expect(parseTimeUs(T0 / 1000)).toBe(T0);
    expect(parseTimeUs('yesterday')).toBeNull();
    expect(parseTimeUs(undefined)).toBeNull();
  });
});

describe('envelopes', () => {
  it('expands an EventList, an array and Event Hubs records with one record index each', () => {
    const list = decodeValue({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [rawV1, { ...rawV1, auditID: 'a-2' }] }, origin);
    expect(list.map((r) => [r.event?.auditID, r.origin.record])).toEqual([['a-1', 0], ['a-2', 1]]);
    expect(JSON.parse(list[1].raw ?? '').auditID).toBe('a-2');
    const arr = decodeValue([rawV1, { kind: 0 }], { ...origin, record: 5 });
    expect(arr.map((r) => r.event?.auditID ?? r.error?.code)).toEqual(['a-1', 'not-audit-event']);
    expect(arr.map((r) => r.origin.record)).toEqual([5, 6]);
    expect(decodeValue([], origin)[0].error?.code).toBe('empty-envelope');
  });
});

describe('EKS (CloudWatch)', () => {
  const msg = JSON.stringify({ ...rawV1, requestReceivedTimestamp: undefined, stageTimestamp: undefined, timestamp: undefined });

  it('reads {timestamp, message} with the envelope time when the event has none', () => {
    const e = event({ timestamp: T0 / 1000, message: msg });
    expect(e).toMatchObject({ format: 'eks', provider: 'aws', timeUs: T0, verb: 'create' });
    expect(e.missing).toContain('requestReceivedTimestamp');
  });

  it('reads Logs Insights rows and get-query-results, with the cluster from the log group', () => {
    const row = { '@timestamp': '2024-05-01 10:00:00.000', '@message': JSON.stringify(rawV1), '@logStream': 'kube-apiserver-audit-abc', '@log': '123456789012:/aws/eks/prod-east/cluster' };
    expect(event(row)).toMatchObject({ format: 'eks', cluster: 'prod-east', timeUs: T0 + 123456 });
    const results = decodeValue({ results: [[{ field: '@message', value: JSON.stringify(rawV1) }, { field: '@log', value: '1:/aws/eks/c2/cluster' }]], status: 'Complete' }, origin);
    expect(results[0].event).toMatchObject({ format: 'eks', cluster: 'c2', auditID: 'a-1' });
  });

  it('expands filter-log-events output and subscription logEvents', () => {
    const out = decodeValue({ events: [{ logStreamName: 'kube-apiserver-audit-1', timestamp: 1, message: JSON.stringify(rawV1) }, { logStreamName: 's', timestamp: 2, message: JSON.stringify({ ...rawV1, auditID: 'a-2' }) }], searchedLogStreams: [] }, origin);
    expect(out.map((r) => r.event?.auditID)).toEqual(['a-1', 'a-2']);
    const sub = decodeValue({ messageType: 'DATA_MESSAGE', logGroup: '/aws/eks/blue/cluster', logStream: 'x', logEvents: [{ id: '1', timestamp: 1, message: JSON.stringify(rawV1) }] }, origin);
    expect(sub[0].event).toMatchObject({ cluster: 'blue', provider: 'aws' });
  });

  it('reports messages CloudWatch truncated instead of dropping them', () => {
    const r = decodeRecord({ timestamp: 1, message: `${JSON.stringify(rawV1).slice(0, 100)}[Truncated...]` }, origin);
    expect('error' in r && r.error.code).toBe('eks-truncated');
  });
});

describe('AKS diagnostic records', () => {
  const record = (log: unknown, category = 'kube-audit') => ({
    category, operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    resourceId: '/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-1',
    properties: { log, stream: 'stdout', pod: 'kube-apiserver-1' }, time: '2024-05-01T10:00:01Z',
  });

  it('reads properties.log as a string or an object', () => {
    expect(event(record(JSON.stringify(rawV1)))).toMatchObject({ format: 'aks', provider: 'azure', cluster: 'AKS-1', auditID: 'a-1' });
    expect(event(record(rawV1, 'kube-audit-admin'))).toMatchObject({ format: 'aks', verb: 'create' });
  });

  it('reports other categories and broken logs', () => {
    const other = decodeRecord(record('{}', 'kube-apiserver'), origin);
    expect('error' in other && other.error.code).toBe('not-audit-event');
    const broken = decodeRecord(record('{"kind":'), origin);
    expect('error' in broken && broken.error.code).toBe('json');
  });
});

describe('GKE Cloud Logging entries', () => {
  const entry = (over: Record<string, unknown> = {}, pp: Record<string, unknown> = {}) => ({
    insertId: 'ins-1',
    logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity',
    resource: { type: 'k8s_cluster', labels: { cluster_name: 'gke-prod', location: 'europe-west1', project_id: 'p' } },
    timestamp: '2024-05-01T10:00:00.123456789Z',
    labels: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'access granted' },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      serviceName: 'k8s.io',
      methodName: 'io.k8s.core.v1.pods.exec.create',
      resourceName: 'core/v1/namespaces/prod/pods/web-0/exec',
      authenticationInfo: { principalEmail: 'dev@example.com' },
      requestMetadata: { callerIp: '198.51.100.7', callerSuppliedUserAgent: 'kubectl/v1.29.1' },
      request: { '@type': 'k8s.io/Pod' },
      ...pp,
    },
    ...over,
  });

  it('maps method, resource, principal, caller and labels', () => {
    const e = event(entry());
    expect(e).toMatchObject({
      format: 'gke', provider: 'gcp', cluster: 'gke-prod', auditID: 'ins-1', timeUs: T0 + 123456, verb: 'create',
      user: 'dev@example.com', sourceIPs: ['198.51.100.7'], userAgent: 'kubectl/v1.29.1', apiGroup: '', apiVersion: 'v1',
      namespace: 'prod', resource: 'pods', name: 'web-0', subresource: 'exec', requestURI: '/api/v1/namespaces/prod/pods/web-0/exec',
      responseCode: 200, decision: 'allow', reason: 'access granted', level: 'Request', requestObject: { '@type': 'k8s.io/Pod' },
    });
    expect(e.missing).toEqual(expect.arrayContaining(['groups', 'uid', 'stage', 'stageTimestamp']));
  });

  it('names a federated caller by principalSubject when there is no principalEmail', () => {
    const subject = 'principal://iam.googleapis.com/locations/global/workforcePools/p/subject/alice';
    expect(event(entry({}, { authenticationInfo: { principalSubject: subject } })).user).toBe(subject);
    expect(event(entry({}, { authenticationInfo: { principalEmail: '', principalSubject: subject } })).user).toBe(subject);
    const none = event(entry({}, { authenticationInfo: {} }));
    expect(none.user).toBe('');
    expect(none.missing).toContain('user');
  });

  it('turns gRPC status codes into HTTP codes', () => {
    expect(event(entry({}, { status: { code: 7, message: 'forbidden' } })).responseCode).toBe(403);
    expect(event(entry({}, { status: { code: 5 } })).responseCode).toBe(404);
    expect(event(entry({}, { status: {} })).responseCode).toBe(200);
  });

  it('parses resource names and method names', () => {
    expect(parseResourceName('rbac.authorization.k8s.io/v1/clusterrolebindings/admin-x')).toMatchObject({ apiGroup: 'rbac.authorization.k8s.io', namespace: null, resource: 'clusterrolebindings', name: 'admin-x', path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/admin-x' });
    expect(parseResourceName('core/v1/namespaces/kube-system')).toMatchObject({ namespace: 'kube-system', resource: 'namespaces', name: 'kube-system' });
    expect(parseResourceName('apps/v1/namespaces/prod/deployments')).toMatchObject({ namespace: 'prod', resource: 'deployments', name: null });
    expect(parseResourceName('apps/v1/namespaces/prod/deployments/web/scale')).toMatchObject({ resource: 'deployments', name: 'web', subresource: 'scale' });
    for (const v of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']) {
      expect(verbFromMethod(`io.k8s.apps.v1.deployments.${v}`)).toBe(v);
    }
    expect(verbFromMethod('io.k8s.core.v1.pods.status.update')).toBe('update');
    expect(verbFromMethod('io.k8s.something')).toBeUndefined();
  });

  it('reads a gcloud array and refuses non-Kubernetes audit entries', () => {
    const out = decodeValue([entry(), entry({ insertId: 'ins-2' })], origin);
    expect(out.map((r) => r.event?.auditID)).toEqual(['ins-1', 'ins-2']);
    const gce = decodeRecord({ ...entry(), resource: { type: 'gce_instance' }, protoPayload: { serviceName: 'compute.googleapis.com' } }, origin);
    expect('error' in gce && gce.error.code).toBe('not-audit-event');
  });
});
