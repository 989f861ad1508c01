import type { AuditEvent, IncidentRecord } from '../../../src/shared/domain.ts';
import { openMemory, type Db } from '../../../src/engine/store/db.ts';
import { beginEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { saveIncidents } from '../../../src/engine/store/incidents.ts';
import { makeEvent } from '../store/event-fixtures.ts';

const T0 = Date.UTC(2024, 2, 4, 10, 0, 0) * 1000;
const MIN = 60_000_000;

/**
 * A small case shaped after the demo: routine controller traffic, alice from a new IPv6 and an
 * IPv4 address running a chroot exec in a debug pod she created with a hostPath, a curl scan
 * that is denied, and one incident over alice's events.
 */
export function investigationCase(): { db: Db; events: AuditEvent[] } {
  const db = openMemory();
  const ev = beginEvidence(db, { path: '/e/audit.log', parent: null, container: 'file', size: 1 }).id;
  let line = 0;
  const mk = (over: Partial<AuditEvent> & { auditID: string }): AuditEvent => makeEvent({ origin: { evidenceId: ev, path: '/e/audit.log', line: ++line, record: line - 1 }, ...over });
  const events: AuditEvent[] = [];
  for (let i = 0; i < 30; i++) {
    events.push(
      mk({
        auditID: `lease-${i}`,
        timeUs: T0 + i * MIN,
        verb: 'update',
        user: 'system:kube-controller-manager',
        sourceIPs: ['10.0.0.2'],
        userAgent: 'kube-controller-manager/v1.29.1',
        resource: 'leases',
        namespace: 'kube-system',
        name: 'kube-controller-manager',
        requestURI: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager',
      }),
    );
  }
  events.push(
    mk({
      auditID: 'alice-create',
      timeUs: T0 + 5 * MIN + 1,
      verb: 'create',
      user: 'alice@example.com',
      sourceIPs: ['2001:db8:5::17'],
      userAgent: 'kubectl/v1.29.0 (linux/amd64)',
      resource: 'pods',
      namespace: 'web',
      name: null,
      requestURI: '/api/v1/namespaces/web/pods',
      responseCode: 201,
      requestObject: { kind: 'Pod', metadata: { name: 'debug-94pmq' }, spec: { hostPID: true, containers: [{ name: 'debug', image: 'busybox:1.36', securityContext: { privileged: true } }], volumes: [{ name: 'h', hostPath: { path: '/' } }] } },
    }),
    mk({
      auditID: 'alice-exec',
      timeUs: T0 + 6 * MIN,
      verb: 'create',
      user: 'alice@example.com',
      sourceIPs: ['198.51.100.23'],
      userAgent: 'kubectl/v1.29.0 (linux/amd64)',
      resource: 'pods',
      subresource: 'exec',
      namespace: 'web',
      name: 'debug-94pmq',
      requestURI: '/api/v1/namespaces/web/pods/debug-94pmq/exec?command=chroot&command=%2Fhost&command=sh&container=debug&stdin=true&tty=true',
      responseCode: 101,
    }),
    mk({
      auditID: 'alice-secret',
      timeUs: T0 + 7 * MIN,
      verb: 'get',
      user: 'alice@example.com',
      sourceIPs: ['198.51.100.23'],
      userAgent: 'kubectl/v1.29.0 (linux/amd64)',
      resource: 'secrets',
      namespace: 'kube-system',
      name: 'admin-token',
      requestURI: '/api/v1/namespaces/kube-system/secrets/admin-token',
      responseCode: 403,
      decision: 'forbid',
    }),
    mk({
      auditID: 'scan-1',
      timeUs: T0 + 8 * MIN,
      verb: 'get',
      user: 'system:anonymous',
      sourceIPs: ['203.0.113.50'],
      userAgent: 'curl/8.4.0',
      resource: null,
      namespace: null,
      name: null,
      requestURI: '/.env',
      responseCode: 403,
      decision: 'forbid',
    }),
  );
  insertEventBatch(db, events, events.map((e) => JSON.stringify({ auditID: e.auditID })));
  db.prepare("insert into hunt_runs (started_at, config) values ('t', '{}')").run();
  const inc: IncidentRecord & { startUs: number; endUs: number } = {
    id: 'I-alice',
    title: 'alice escapes to the host from a debug pod',
    start: new Date((T0 + 5 * MIN) / 1000).toISOString(),
    end: new Date((T0 + 7 * MIN) / 1000).toISOString(),
    startUs: T0 + 5 * MIN,
    endUs: T0 + 7 * MIN,
    score: 0.97,
    severity: 'critical',
    tactics: ['Privilege Escalation'],
    techniques: ['T1611'],
    users: ['alice@example.com'],
    sourceIPs: ['2001:db8:5::17', '198.51.100.23'],
    namespaces: ['web', 'kube-system'],
    objects: ['pods web/debug-94pmq', 'secrets kube-system/admin-token'],
    auditIDs: ['alice-create', 'alice-exec', 'alice-secret'],
    findings: [],
    links: [],
    storyline: [],
    reasons: [],
  };
  saveIncidents(db, 1, [inc]);
  return { db, events };
}

export { T0, MIN };
