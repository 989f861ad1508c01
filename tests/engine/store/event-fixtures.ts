import type { AuditEvent } from '../../../src/shared/domain.ts';

/** A plausible normalized event; override what the test is about. */
export function makeEvent(over: Partial<AuditEvent> & { auditID: string }): AuditEvent {
  return {
    timeUs: 1_760_000_000_000_000,
    stageTimeUs: null,
    stage: 'ResponseComplete',
    stages: [over.stage ?? 'ResponseComplete'],
    level: 'Metadata',
    verb: 'get',
    user: 'alice',
    groups: ['system:authenticated'],
    uid: null,
    impersonatedUser: null,
    impersonatedGroups: [],
    sourceIPs: ['10.0.0.1'],
    userAgent: 'kubectl/v1.29',
    resource: 'pods',
    subresource: null,
    namespace: 'default',
    name: 'web-1',
    apiGroup: null,
    apiVersion: 'v1',
    requestURI: '/api/v1/namespaces/default/pods/web-1',
    responseCode: 200,
    decision: 'allow',
    reason: null,
    annotations: { 'authorization.k8s.io/decision': 'allow' },
    requestObject: null,
    responseObject: null,
    format: 'raw',
    provider: null,
    cluster: null,
    missing: [],
    origin: { evidenceId: 1, path: '/e/a.log', line: 1, record: 0 },
    ...over,
  };
}
