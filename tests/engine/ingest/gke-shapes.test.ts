import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../../src/engine/ingest/index.ts';
import { loadBuiltinRules, runRules } from '../../../src/engine/rules/index.ts';
import type { AuditEvent, EventOrigin } from '../../../src/shared/domain.ts';
import { decodedEvent } from './helpers.ts';

// GKE LogEntries as sinks and re-exports hand them over, each with one detail the plain
// `gcloud logging read` shape does not have.

const origin: EventOrigin = { evidenceId: 1, path: 'gke-audit.json', line: 0, record: 0 };
const event = (v: unknown): AuditEvent => decodedEvent(v, origin);

const entry = (pp: Record<string, unknown> = {}, over: Record<string, unknown> = {}) => ({
  insertId: '1q2w3e4r5t6y',
  logName: 'projects/shop-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
  resource: { type: 'k8s_cluster', labels: { cluster_name: 'shop-eu', location: 'europe-west4', project_id: 'shop-prod' } },
  timestamp: '2024-05-01T10:00:00.412345678Z',
  receiveTimestamp: '2024-05-01T10:00:01.002003004Z',
  severity: 'INFO',
  protoPayload: {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    serviceName: 'k8s.io',
    methodName: 'io.k8s.core.v1.secrets.list',
    resourceName: 'core/v1/namespaces/payments/secrets',
    authenticationInfo: { principalEmail: 'ops@shop.example' },
    authorizationInfo: [{ permission: 'io.k8s.core.v1.secrets.list', resource: 'core/v1/namespaces/payments/secrets', granted: true }],
    requestMetadata: { callerIp: '203.0.113.40', callerSuppliedUserAgent: 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819' },
    ...pp,
  },
  ...over,
});

describe('GKE shapes', () => {
  it('reads requestMetadata.callerIP spelled with a capital P', () => {
    const e = event(entry({ requestMetadata: { callerIP: '203.0.113.41', callerSuppliedUserAgent: 'kubectl/v1.29.2' } }));
    expect(e.sourceIPs).toEqual(['203.0.113.41']);
    expect(e.missing).not.toContain('sourceIPs');
  });

  it('names the caller from authenticationInfo.authoritySelector when no principal is given', () => {
    const e = event(entry({ authenticationInfo: { authoritySelector: 'system:serviceaccount:ci:deployer' } }));
    expect(e.user).toBe('system:serviceaccount:ci:deployer');
    expect(e.missing).not.toContain('user');
    // A principal, when there, still wins.
    expect(event(entry({ authenticationInfo: { principalEmail: 'ops@shop.example', authoritySelector: 'other' } })).user).toBe('ops@shop.example');
  });

  it('accepts an entry with an io.k8s method but no serviceName or resource.type', () => {
    // A sink that kept only the payload, its id and its time.
    const { serviceName: _s, ...pp } = entry().protoPayload;
    const bare = { insertId: 'a9s8d7f6', timestamp: '2024-05-01T10:00:00.412345Z', protoPayload: pp };
    expect(event(bare)).toMatchObject({ format: 'gke', provider: 'gcp', verb: 'list', resource: 'secrets', namespace: 'payments' });
    // Other Google services without serviceName stay refused.
    const compute = { insertId: 'x', timestamp: '2024-05-01T10:00:00Z', protoPayload: { methodName: 'v1.compute.instances.insert', resourceName: 'projects/shop-prod/zones/europe-west4-a/instances/vm-1' } };
    const r = decodeRecord(compute, origin);
    expect('error' in r && r.error.code).toBe('not-audit-event');
  });

  it('reads core/v1/healthz as the non-resource URL /healthz, so a health check is not anonymous access', () => {
    // Google's load-balancer health checkers (35.191.0.0/16) probe the apiserver unauthenticated.
    const probe = entry({
      methodName: 'io.k8s.core.v1.healthz.get',
      resourceName: 'core/v1/healthz',
      authenticationInfo: { principalEmail: 'system:anonymous' },
      authorizationInfo: [{ permission: 'io.k8s.core.v1.healthz.get', resource: 'core/v1/healthz', granted: true }],
      requestMetadata: { callerIp: '35.191.10.7', callerSuppliedUserAgent: 'GoogleHC/1.0' },
    });
    const e = event(probe);
    expect(e).toMatchObject({ requestURI: '/healthz', resource: null, apiGroup: null, apiVersion: null, namespace: null, user: 'system:anonymous', verb: 'get' });
    const hits = runRules(loadBuiltinRules(), [e]);
    expect(hits.map((h) => h.ruleId)).not.toContain('GS-T1078.001-ANONYMOUS');
    // The same caller reading a real resource is still anonymous access.
    const secrets = event(entry({ authenticationInfo: { principalEmail: 'system:anonymous' } }));
    expect(runRules(loadBuiltinRules(), [secrets]).map((h) => h.ruleId)).toContain('GS-T1078.001-ANONYMOUS');
    expect(event(entry({ resourceName: 'core/v1/livez/etcd' })).requestURI).toBe('/livez/etcd');
    expect(event(entry({ resourceName: 'core/v1/version' })).requestURI).toBe('/version');
    // A custom resource that shares a name with a non-resource path is still a resource.
    expect(event(entry({ resourceName: 'logging.example.com/v1/logs/audit-sink' }))).toMatchObject({ resource: 'logs', name: 'audit-sink', requestURI: '/apis/logging.example.com/v1/logs/audit-sink' });
  });

  it('reads authorizationInfo granted: false with no status as a denial', () => {
    const denied = event(entry({ authorizationInfo: [{ permission: 'io.k8s.core.v1.secrets.list', resource: 'core/v1/namespaces/payments/secrets', granted: false }] }));
    expect([denied.responseCode, denied.decision]).toEqual([403, 'forbid']);
    // One refused check refuses the request, whichever entry it is.
    const second = event(entry({ authorizationInfo: [{ permission: 'io.k8s.core.v1.pods.get', granted: true }, { permission: 'io.k8s.core.v1.pods.exec.create', granted: false }] }));
    expect([second.responseCode, second.decision]).toEqual([403, 'forbid']);
    // A status, when there, says what the apiserver answered.
    expect(event(entry({ status: { code: 5, message: 'not found' } })).responseCode).toBe(404);
    const granted = event(entry());
    expect([granted.responseCode, granted.decision]).toEqual([200, 'allow']);
  });

  it('keeps an entry without a timestamp and says its time is unknown', () => {
    const e = event(entry({}, { timestamp: undefined, receiveTimestamp: undefined }));
    expect(e.timeUs).toBe(0);
    expect(e.missing).toEqual(expect.arrayContaining(['timestamp', 'time']));
  });
});
