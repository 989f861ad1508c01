import { describe, expect, it } from 'vitest';
import { decodeRecord, decodeValue } from '../../../src/engine/ingest/index.ts';
import type { AuditEvent, EventOrigin } from '../../../src/shared/domain.ts';
import { collect, decodedEvent, tempDir } from './helpers.ts';

// Audit events as SIEMs and data lakes hand them back: the event's own fields minus apiVersion and
// requestURI, plus the tool's. Fixtures follow the Stratus Red Team samples in
// ../shared/data/captured (Datadog) and the field names each tool documents.

const origin: EventOrigin = { evidenceId: 1, path: 'export.jsonl', line: 1, record: 0 };
const event = (v: unknown): AuditEvent => decodedEvent(v, origin);
const refusal = (v: unknown): string | undefined => {
  const r = decodeRecord(v, origin);
  return 'error' in r ? r.error.code : undefined;
};
const us = (iso: string): number => Date.parse(iso) * 1000;

/** The audit fields every re-export below keeps. */
const core = {
  kind: 'Event',
  level: 'Metadata',
  auditID: '6f1c2a7e-9b1d-4e55-8f0a-3c2d1b0a9e87',
  stage: 'ResponseComplete',
  verb: 'get',
  user: { username: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts', 'system:authenticated'] },
  sourceIPs: ['10.12.4.19'],
  userAgent: 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625',
  objectRef: { resource: 'secrets', namespace: 'prod', name: 'db-creds', apiVersion: 'v1' },
  responseStatus: { metadata: {}, code: 200 },
  requestReceivedTimestamp: '2024-05-01T10:00:00.123456Z',
  stageTimestamp: '2024-05-01T10:00:00.130211Z',
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by RoleBinding "deployer/prod"' },
};

describe('Panther data lake rows (p_* fields)', () => {
  const panther = {
    ...core,
    p_log_type: 'Amazon.EKS.Audit',
    p_row_id: 'b2c3d4e5f60718293a4b5c6d7e8f9001',
    p_event_time: '2024-05-01 10:00:00.123456',
    p_parse_time: '2024-05-01 10:01:12.004511',
    p_source_id: '0f7e3c2a-1111-4a2b-9c3d-5e6f7a8b9c0d',
    p_source_label: 'eks-prod-audit',
    p_any_ip_addresses: ['10.12.4.19'],
    p_any_usernames: ['system:serviceaccount:ci:deployer'],
  };

  it('decodes a row without apiVersion and requestURI, rebuilding the path from objectRef', () => {
    const e = event(panther);
    expect(e).toMatchObject({
      format: 'raw', provider: 'aws', auditID: core.auditID, verb: 'get', user: 'system:serviceaccount:ci:deployer',
      resource: 'secrets', namespace: 'prod', name: 'db-creds', responseCode: 200, decision: 'allow',
      requestURI: '/api/v1/namespaces/prod/secrets/db-creds', timeUs: us('2024-05-01T10:00:00.123Z') + 456,
    });
    expect(e.missing).toEqual(['requestURI']);
  });

  it('reads a file of Panther rows as the reader frames it, one line each', async () => {
    const t = tempDir();
    try {
      const c = await collect([t.file('panther-eks.jsonl', `${JSON.stringify(panther)}\n${JSON.stringify({ ...panther, auditID: 'b-2', verb: 'list', objectRef: { resource: 'secrets', namespace: 'prod', apiVersion: 'v1' } })}\n`)]);
      expect(c.errors).toEqual([]);
      expect(c.events.map((e) => [e.auditID, e.provider, e.requestURI])).toEqual([
        [core.auditID, 'aws', '/api/v1/namespaces/prod/secrets/db-creds'],
        ['b-2', 'aws', '/api/v1/namespaces/prod/secrets'],
      ]);
    } finally {
      t.cleanup();
    }
  });

  it("takes Panther's p_event_time when the row lost the event's own times", () => {
    const { requestReceivedTimestamp: _r, stageTimestamp: _s, ...rest } = panther;
    const e = event(rest);
    expect(e.timeUs).toBe(us('2024-05-01T10:00:00.123Z') + 456);
    expect(e.missing).toContain('requestReceivedTimestamp');
    expect(e.missing).not.toContain('time');
  });

  it('rebuilds group, cluster-scoped, namespace and subresource paths', () => {
    const uri = (objectRef: object, verb = 'create'): string => event({ ...panther, verb, objectRef }).requestURI;
    expect(uri({ resource: 'clusterrolebindings', name: 'ci-admin', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' })).toBe('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/ci-admin');
    expect(uri({ resource: 'namespaces', namespace: 'tmp-x', name: 'tmp-x', apiVersion: 'v1' }, 'delete')).toBe('/api/v1/namespaces/tmp-x');
    expect(uri({ resource: 'pods', namespace: 'prod', name: 'web-0', subresource: 'exec', apiVersion: 'v1' })).toBe('/api/v1/namespaces/prod/pods/web-0/exec');
    expect(uri({ resource: 'deployments', namespace: 'prod', apiGroup: 'apps', apiVersion: 'v1' }, 'list')).toBe('/apis/apps/v1/namespaces/prod/deployments');
  });
});

describe('Datadog log exports (http.*)', () => {
  // As the Stratus samples, without the apiVersion and requestURI they still had.
  const datadog = {
    kind: 'Event',
    stage: 'ResponseComplete',
    level: 'RequestResponse',
    attributes: {
      objectRef: { resource: 'pods', namespace: 'stratus-red-team-umusjhhg', name: 'k8s.privilege-escalation.privileged-pod', apiVersion: 'v1' },
      user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      http: { url_details: { path: '/api/v1/namespaces/stratus-red-team-umusjhhg/pods' }, method: 'create', status_code: 201 },
      requestObject: { kind: 'Pod', spec: { containers: [{ image: 'busybox:stable', securityContext: { privileged: true } }] } },
      '@timestamp': '2024-05-01T10:00:05.250Z',
    },
  };

  it('decodes a verb under http.method, its path from http.url_details and the time Datadog kept', () => {
    const e = event(datadog);
    expect(e).toMatchObject({
      verb: 'create', user: 'kubernetes-admin', resource: 'pods', responseCode: 201,
      requestURI: '/api/v1/namespaces/stratus-red-team-umusjhhg/pods', timeUs: us('2024-05-01T10:00:05.250Z'),
    });
    expect(e.missing).toEqual(expect.arrayContaining(['requestURI', 'auditID', 'requestReceivedTimestamp']));
  });
});

describe('Elastic (@timestamp, kubernetes.audit)', () => {
  it('reads an event flattened beside @timestamp and ECS fields', () => {
    const { requestReceivedTimestamp: _r, stageTimestamp: _s, ...rest } = core;
    // Filebeat keeps the original line in `message`: that does not make it a CloudWatch record.
    const doc = { ...rest, '@timestamp': '2024-05-01T10:00:00.130Z', message: JSON.stringify(rest), ecs: { version: '8.11.0' }, agent: { type: 'filebeat' }, log: { file: { path: '/var/log/kube-apiserver-audit.log' } } };
    const e = event(doc);
    expect(e).toMatchObject({ format: 'raw', provider: null, verb: 'get', requestURI: '/api/v1/namespaces/prod/secrets/db-creds', timeUs: us('2024-05-01T10:00:00.130Z') });
  });

  it("unwraps the audit integration's kubernetes.audit and restores dotted annotation keys", () => {
    const { annotations: _a, ...rest } = core;
    const doc = {
      '@timestamp': '2024-05-01T10:00:00.123Z',
      data_stream: { dataset: 'kubernetes_audit.audit_logs', namespace: 'default', type: 'logs' },
      event: { category: ['web'], kind: 'event', outcome: 'success' },
      kubernetes: { audit: { ...rest, annotations: { 'authorization_k8s_io/decision': 'forbid', 'authorization_k8s_io/reason': '' } } },
    };
    const e = event(doc);
    expect(e).toMatchObject({ auditID: core.auditID, decision: 'forbid', requestURI: '/api/v1/namespaces/prod/secrets/db-creds', timeUs: us('2024-05-01T10:00:00.123Z') + 456 });
  });
});

describe('Splunk wrappers', () => {
  const v1 = { ...core, apiVersion: 'audit.k8s.io/v1', requestURI: '/api/v1/namespaces/prod/secrets/db-creds' };

  it('unwraps a search export line (result._raw) and a bare _raw row', () => {
    const line = { preview: false, offset: 0, result: { _raw: JSON.stringify(v1), _time: '2024-05-01T10:00:00.123+00:00', host: 'ip-10-0-1-5', source: '/var/log/kube-apiserver/audit.log', sourcetype: 'kube:apiserver:audit' } };
    const e = event(line);
    expect(e).toMatchObject({ format: 'raw', auditID: core.auditID, requestURI: v1.requestURI, timeUs: us('2024-05-01T10:00:00.123Z') + 456 });
    expect(e.missing).toEqual([]);
    expect(event(line.result).auditID).toBe(core.auditID);
  });

  it("takes _time when the event has none, and reports a _raw that isn't JSON", () => {
    const { requestReceivedTimestamp: _r, stageTimestamp: _s, ...undated } = v1;
    expect(event({ result: { _raw: JSON.stringify(undated), _time: '1714557600.500' } }).timeUs).toBe(us('2024-05-01T10:00:00.500Z'));
    expect(refusal({ result: { _raw: 'May  1 10:00:00 node kubelet[811]: started', _time: '1714557600' } })).toBe('json');
  });

  it('unwraps an HTTP Event Collector payload, and a CloudWatch record inside one', () => {
    const hec = { time: 1714557600.25, host: 'audit-forwarder', source: 'kube-apiserver', sourcetype: 'kube:apiserver:audit', index: 'k8s', event: v1 };
    expect(event(hec)).toMatchObject({ auditID: core.auditID, format: 'raw' });
    const cw = { ...hec, event: { timestamp: 1714557600123, message: JSON.stringify(v1), logStreamName: 'kube-apiserver-audit-0a1b2c' } };
    expect(event(cw)).toMatchObject({ auditID: core.auditID, format: 'eks', provider: 'aws' });
  });

  it('expands a Splunk results array, each row its own record', () => {
    const out = decodeValue({ preview: false, results: [{ _raw: JSON.stringify(v1) }, { _raw: JSON.stringify({ ...v1, auditID: 'b-2' }) }] }, origin);
    expect(out.map((r) => [r.event?.auditID, r.origin.record])).toEqual([[core.auditID, 0], ['b-2', 1]]);
  });
});

describe('what stays refused', () => {
  it('refuses records that are not audit events, even with some audit-like fields', () => {
    // A core/v1 Event as an events exporter re-ships it: kind Event, no apiVersion, no verb.
    const coreEvent = {
      kind: 'Event', involvedObject: { kind: 'Pod', namespace: 'prod', name: 'web-0' }, reason: 'Scheduled',
      message: 'Successfully assigned prod/web-0 to node-3', type: 'Normal', source: { component: 'default-scheduler' },
      firstTimestamp: '2024-05-01T10:00:00Z', '@timestamp': '2024-05-01T10:00:00Z',
    };
    expect(refusal(coreEvent)).toBe('not-audit-event');
    expect(refusal({ p_log_type: 'AWS.CloudTrail', p_event_time: '2024-05-01 10:00:00', eventName: 'AssumeRole', userIdentity: { type: 'AWSService' } })).toBe('not-audit-event');
    // Audit-like names without kind Event or an auditID: nothing says it is an audit event.
    expect(refusal({ verb: 'get', objectRef: { resource: 'pods' }, user: { username: 'x' } })).toBe('not-audit-event');
    expect(refusal({ kind: 'Pod', verb: 'get', objectRef: { resource: 'pods' }, user: { username: 'x' } })).toBe('not-audit-event');
    // kind Event and a verb, but neither objectRef nor requestURI: what was asked for is unknown.
    expect(refusal({ kind: 'Event', verb: 'get', user: { username: 'x' } })).toBe('not-audit-event');
  });
});

describe('undated events', () => {
  it('keeps an event with no time anywhere and says its time is unknown', () => {
    const { requestReceivedTimestamp: _r, stageTimestamp: _s, ...undated } = core;
    const e = event(undated);
    expect(e.timeUs).toBe(0);
    expect(e.missing).toEqual(expect.arrayContaining(['timestamp', 'time']));
    // Go's zero time is what some exporters write for "none": it is no time either.
    const zero = event({ ...core, requestReceivedTimestamp: '0001-01-01T00:00:00Z', stageTimestamp: '0001-01-01T00:00:00Z' });
    expect([zero.timeUs, zero.missing.includes('time')]).toEqual([0, true]);
    expect(event(core).missing).not.toContain('time');
  });

  it('marks undated v1 lines the reader decodes on its fast path', async () => {
    const { requestReceivedTimestamp: _r, stageTimestamp: _s, ...undated } = core;
    const v1 = { ...undated, apiVersion: 'audit.k8s.io/v1', requestURI: '/api/v1/namespaces/prod/secrets/db-creds' };
    const t = tempDir();
    try {
      const c = await collect([t.file('audit.log', `${JSON.stringify(v1)}\n${JSON.stringify({ ...v1, auditID: 'b-2', requestReceivedTimestamp: core.requestReceivedTimestamp })}\n`)]);
      expect(c.events.map((e) => [e.auditID, e.timeUs === 0, e.missing.includes('time')])).toEqual([[core.auditID, true, true], ['b-2', false, false]]);
    } finally {
      t.cleanup();
    }
  });
});
