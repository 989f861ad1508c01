// Realistic kube-apiserver audit log lines in volume, for the ingest benchmark and the tests that
// need a file big enough to interrupt. Deterministic: the same seed writes the same bytes.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = [
  { username: 'system:kube-controller-manager', groups: ['system:authenticated'], ua: 'kube-controller-manager/v1.29.4 (linux/amd64) kubernetes/55019c8/leader-election' },
  { username: 'system:kube-scheduler', groups: ['system:authenticated'], ua: 'kube-scheduler/v1.29.4 (linux/amd64) kubernetes/55019c8/leader-election' },
  { username: 'system:node:ip-10-0-12-34.ec2.internal', groups: ['system:nodes', 'system:authenticated'], ua: 'kubelet/v1.29.4 (linux/amd64) kubernetes/55019c8' },
  { username: 'system:serviceaccount:kube-system:coredns', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'], ua: 'coredns/v1.11.1 (linux/amd64)' },
  { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'], ua: 'argocd-application-controller/v2.10.4 (linux/amd64)' },
  { username: 'alice@example.com', groups: ['platform-admins', 'system:authenticated'], ua: 'kubectl/v1.29.2 (darwin/arm64) kubernetes/4b8e819' },
  { username: 'bob@example.com', groups: ['developers', 'system:authenticated'], ua: 'kubectl/v1.28.5 (linux/amd64) kubernetes/506050d' },
];
const IPS = ['10.0.12.34', '10.0.7.201', '172.16.0.5', '192.168.49.1', '10.0.3.17', '203.0.113.45'];
const RESOURCES = [
  { resource: 'pods', group: '', version: 'v1' },
  { resource: 'configmaps', group: '', version: 'v1' },
  { resource: 'secrets', group: '', version: 'v1' },
  { resource: 'leases', group: 'coordination.k8s.io', version: 'v1' },
  { resource: 'deployments', group: 'apps', version: 'v1' },
  { resource: 'endpointslices', group: 'discovery.k8s.io', version: 'v1' },
  { resource: 'nodes', group: '', version: 'v1' },
];
const NAMESPACES = ['default', 'kube-system', 'argocd', 'payments', 'monitoring'];
const VERBS = ['get', 'get', 'get', 'list', 'watch', 'update', 'patch', 'create', 'delete'];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const hex = (r: () => number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
const iso = (us: number): string => `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;

export interface SyntheticOptions {
  seed?: number;
  startUs?: number;
  /** Fraction of requests also logged at RequestReceived (policies that do not omit the stage). */
  receivedStageRate?: number;
}

/** Audit log lines (JSON, no newline), forever; take what you need. */
export function* syntheticAuditLines(options: SyntheticOptions = {}): Generator<string> {
  const r = prng(options.seed ?? 1);
  let t = options.startUs ?? Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;
  const receivedRate = options.receivedStageRate ?? 0.1;
  for (;;) {
    t += Math.floor(r() * 20_000);
    const u = pick(r, USERS);
    const res = pick(r, RESOURCES);
    const verb = pick(r, VERBS);
    const ns = res.resource === 'nodes' ? undefined : pick(r, NAMESPACES);
    const name = verb === 'list' || verb === 'watch' ? undefined : `${res.resource.slice(0, -1)}-${hex(r, 5)}`;
    const forbidden = r() < 0.03;
    const code = forbidden ? 403 : verb === 'create' ? 201 : r() < 0.02 ? 404 : 200;
    const auditID = `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
    const base = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
    const uri = `${base}${ns ? `/namespaces/${ns}` : ''}/${res.resource}${name ? `/${name}` : ''}${verb === 'watch' ? '?allowWatchBookmarks=true&resourceVersion=8812734&timeout=7m41s&watch=true' : ''}`;
    const level = (verb === 'create' || verb === 'patch' || verb === 'update') && res.resource !== 'secrets' ? 'RequestResponse' : 'Metadata';
    const event: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level,
      auditID,
      stage: 'ResponseComplete',
      requestURI: uri,
      verb,
      user: { username: u.username, uid: hex(r, 8), groups: u.groups },
      sourceIPs: [pick(r, IPS)],
      userAgent: u.ua,
      objectRef: { resource: res.resource, namespace: ns, name, apiGroup: res.group || undefined, apiVersion: res.version },
      responseStatus: forbidden ? { metadata: {}, status: 'Failure', reason: 'Forbidden', code } : { metadata: {}, code },
      requestReceivedTimestamp: iso(t),
      stageTimestamp: iso(t + 1500 + Math.floor(r() * 30_000)),
      annotations: {
        'authorization.k8s.io/decision': forbidden ? 'forbid' : 'allow',
        'authorization.k8s.io/reason': forbidden ? '' : `RBAC: allowed by ClusterRoleBinding "${u.groups[0]}" of ClusterRole "edit" to Group "${u.groups[0]}"`,
      },
    };
    if (level === 'RequestResponse') {
      const obj = {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name, namespace: ns, labels: { app: 'checkout', 'app.kubernetes.io/managed-by': 'argocd' }, resourceVersion: String(8_000_000 + Math.floor(r() * 1e6)) },
        data: { 'feature-flags.yaml': `checkout.v2: ${r() < 0.5}\nretries: ${Math.floor(r() * 5)}\n` },
      };
      event.requestObject = obj;
      event.responseObject = obj;
    }
    if (r() < receivedRate) {
      yield JSON.stringify({ ...event, stage: 'RequestReceived', stageTimestamp: event.requestReceivedTimestamp, responseStatus: undefined, responseObject: undefined });
    }
    yield JSON.stringify(event);
  }
}

/** Write at least `bytes` of audit log to `path`; returns the bytes and lines written. */
export async function writeSyntheticLog(path: string, bytes: number, options: SyntheticOptions = {}): Promise<{ bytes: number; lines: number }> {
  const out = createWriteStream(path);
  let written = 0;
  let lines = 0;
  let chunk: string[] = [];
  let chunkLen = 0;
  for (const line of syntheticAuditLines(options)) {
    chunk.push(line);
    chunkLen += line.length + 1;
    lines++;
    if (chunkLen >= 1 << 20 || written + chunkLen >= bytes) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      written += chunkLen;
      chunk = [];
      chunkLen = 0;
      if (written >= bytes) break;
    }
  }
  out.end();
  await once(out, 'finish');
  return { bytes: written, lines };
}
