import { describe, expect, it } from 'vitest';
import { decodeValue } from '../../../src/engine/ingest/index.ts';
import type { AuditEvent, EventOrigin } from '../../../src/shared/domain.ts';
import { collect, decodedEvent, tempDir } from './helpers.ts';

const origin: EventOrigin = { evidenceId: 0, path: 'export.json', line: 1, record: 0 };
const RESOURCE = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod-aks';

const event = (v: unknown): AuditEvent => decodedEvent(v, origin);

/** An AKSAudit row with its dynamic columns as objects (a JSON export of the table). */
const row = {
  TenantId: 't-1',
  TimeGenerated: '2024-05-01T10:00:01.5Z',
  Type: 'AKSAudit',
  Level: 'RequestResponse',
  AuditId: '9f6c2a1e-1111-4c3a-9a5e-000000000001',
  Stage: 'ResponseComplete',
  RequestUri: '/api/v1/namespaces/prod/pods/web-0/exec?command=sh&stdin=true',
  Verb: 'create',
  User: { username: 'mallory@example.com', groups: ['system:authenticated'], uid: 'u-7' },
  SourceIps: ['203.0.113.9'],
  UserAgent: 'kubectl/v1.30.0',
  ObjectRef: { resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web-0', apiVersion: 'v1' },
  ResponseStatus: { metadata: {}, code: 101 },
  RequestObject: 'skipped-too-big-size-object',
  RequestReceivedTime: '2024-05-01T10:00:00.123456Z',
  StageReceivedTime: '2024-05-01T10:00:00.223456Z',
  Annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "ops"' },
  PodName: 'kube-apiserver-abc',
  _ResourceId: RESOURCE,
};

/** The same row as `az monitor log-analytics query` prints it: dynamic columns as JSON text. */
const asText = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]));

describe('AKS audit rows from Log Analytics', () => {
  it('reads an AKSAudit row as the event it was, with the cluster from _ResourceId', () => {
    const e = event(row);
    expect(e).toMatchObject({
      format: 'aks', provider: 'azure', cluster: 'prod-aks', auditID: row.AuditId, stage: 'ResponseComplete', level: 'RequestResponse',
      verb: 'create', user: 'mallory@example.com', groups: ['system:authenticated'], uid: 'u-7', sourceIPs: ['203.0.113.9'],
      userAgent: 'kubectl/v1.30.0', resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web-0', responseCode: 101,
      decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "ops"', requestURI: row.RequestUri,
      timeUs: Date.UTC(2024, 4, 1, 10, 0, 0) * 1000 + 123456, stageTimeUs: Date.UTC(2024, 4, 1, 10, 0, 0) * 1000 + 223456,
    });
    // The object was too big for AKS to log: absent, and said so, not the marker text passed off as it.
    expect(e.requestObject).toBeNull();
    expect(e.missing).toContain('requestObject');
  });

  it('reads dynamic columns written as JSON text the same way', () => {
    const a = event(row);
    const b = event(asText);
    expect({ ...b, origin: null }).toEqual({ ...a, origin: null });
  });

  it('takes a response code Log Analytics wrote as text, and TimeGenerated when the event has no time', () => {
    const { RequestReceivedTime: _r, StageReceivedTime: _s, ...untimed } = row;
    const e = event({ ...untimed, ResponseStatus: JSON.stringify({ code: '403' }) });
    expect(e.responseCode).toBe(403);
    expect(e.timeUs).toBe(Date.UTC(2024, 4, 1, 10, 0, 1, 500) * 1000);
    expect(e.missing).toContain('requestReceivedTimestamp');
  });

  it('reads AzureDiagnostics rows (Category + log_s) and refuses other categories clearly', () => {
    const inner = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'd-1', stage: 'ResponseComplete', verb: 'list', requestURI: '/api/v1/secrets', user: { username: 'eve' } };
    const e = event({ Category: 'kube-audit-admin', log_s: JSON.stringify(inner), _ResourceId: RESOURCE, TimeGenerated: '2024-05-01T10:00:00Z' });
    expect(e).toMatchObject({ format: 'aks', cluster: 'prod-aks', auditID: 'd-1', user: 'eve', verb: 'list' });
    const r = decodeValue({ Category: 'cluster-autoscaler', log_s: 'scaled up', _ResourceId: RESOURCE }, origin);
    expect(r[0].error).toMatchObject({ code: 'not-audit-event' });
    expect(r[0].error?.reason).toContain('cluster-autoscaler');
  });

  it("expands the query API's tables envelope, one record per row", () => {
    const columns = Object.keys(asText).map((name) => ({ name, type: 'string' }));
    const second = { ...asText, AuditId: 'second', Verb: 'get' };
    const envelope = { tables: [{ name: 'PrimaryResult', columns, rows: [Object.values(asText), Object.values(second)] }] };
    const r = decodeValue(envelope, origin);
    expect(r.map((x) => x.event?.auditID)).toEqual([row.AuditId, 'second']);
    expect(r.map((x) => x.origin.record)).toEqual([0, 1]);
    expect(r.every((x) => x.event?.cluster === 'prod-aks')).toBe(true);
    // Each record's raw text is its own row, by column name: what the analyst can read back.
    expect(JSON.parse(r[1].raw ?? '{}')).toMatchObject({ AuditId: 'second', Verb: 'get' });
  });

  it('ingests a file as `az monitor log-analytics query` writes it: a JSON array of rows', async () => {
    const t = tempDir();
    const file = t.file('aksaudit.json', JSON.stringify([asText, { ...asText, AuditId: 'b', Stage: 'RequestReceived' }], null, 2));
    const c = await collect([file]);
    t.cleanup();
    expect(c.errors).toEqual([]);
    expect(c.events.map((e) => [e.auditID, e.stage, e.format])).toEqual([
      [row.AuditId, 'ResponseComplete', 'aks'],
      ['b', 'RequestReceived', 'aks'],
    ]);
  });
});
