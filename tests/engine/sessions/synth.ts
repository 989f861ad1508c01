import type { AuditEvent } from '../../../src/shared/domain.ts';
import { seededRandom as rng } from '../../../src/engine/model/rng.ts';

/** Seeded PRNG (the model's mulberry32): tests get the same events on every run. */
export { rng };

const USERS = [
  { user: 'system:serviceaccount:kube-system:deployment-controller', groups: ['system:serviceaccounts', 'system:authenticated'], ip: '10.0.0.5', ua: 'kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/system:serviceaccount:kube-system:deployment-controller' },
  { user: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'], ip: '10.0.1.11', ua: 'kubelet/v1.29.2 (linux/amd64) kubernetes/4b8e819' },
  { user: 'alice@example.com', groups: ['devs', 'system:authenticated'], ip: '192.168.7.20', ua: 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819' },
  { user: 'system:serviceaccount:argocd:argocd-application-controller', groups: ['system:serviceaccounts', 'system:authenticated'], ip: '10.0.2.7', ua: 'argocd-application-controller/v2.10' },
];
const RESOURCES = ['pods', 'configmaps', 'secrets', 'deployments', 'services', 'leases'];
const NAMESPACES = ['default', 'kube-system', 'payments', 'argocd'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Builds an event with sensible defaults; `over` wins. */
export function event(over: Partial<AuditEvent> & { auditID: string; timeUs: number }): AuditEvent {
  return {
    stageTimeUs: null,
    stage: 'ResponseComplete',
    stages: ['ResponseComplete'],
    level: 'Metadata',
    verb: 'get',
    user: 'alice@example.com',
    groups: ['system:authenticated'],
    uid: null,
    impersonatedUser: null,
    impersonatedGroups: [],
    sourceIPs: ['192.168.7.20'],
    userAgent: 'kubectl/v1.29.2',
    resource: 'pods',
    subresource: null,
    namespace: 'default',
    name: null,
    apiGroup: null,
    apiVersion: 'v1',
    requestURI: '/api/v1/namespaces/default/pods',
    responseCode: 200,
    decision: 'allow',
    reason: null,
    annotations: {},
    requestObject: null,
    responseObject: null,
    format: 'raw',
    provider: null,
    cluster: null,
    missing: [],
    origin: { evidenceId: 1, path: 'synthetic', line: 0, record: 0 },
    ...over,
  };
}

/**
 * `n` time-ordered events over `minutes` minutes: four actors with habits (the node reads pods,
 * the controller patches deployments…) so that verbs are learnable from the other fields.
 */
export function synthEvents(n: number, seed = 1, minutes = 30, t0Us = 1_699_999_980_000_000): AuditEvent[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const out: AuditEvent[] = [];
  const spanUs = minutes * 60_000_000;
  const times = Array.from({ length: n }, () => Math.floor(r() * spanUs)).sort((a, b) => a - b);
  for (let i = 0; i < n; i++) {
    const ai = Math.floor(r() * USERS.length);
    const a = USERS[ai];
    // Each actor prefers a verb and a resource, so the verb is predictable but not leaked.
    const verb = r() < 0.7 ? VERBS[(ai * 2) % VERBS.length] : pick(VERBS);
    const resource = r() < 0.6 ? RESOURCES[(ai + VERBS.indexOf(verb)) % RESOURCES.length] : pick(RESOURCES);
    const ns = pick(NAMESPACES);
    const named = verb !== 'list' && verb !== 'watch' && verb !== 'create';
    const name = named ? `${resource.slice(0, -1)}-${Math.floor(r() * 5)}` : null;
    const base = resource === 'deployments' ? `/apis/apps/v1/namespaces/${ns}/${resource}` : `/api/v1/namespaces/${ns}/${resource}`;
    out.push(
      event({
        auditID: `ev-${seed}-${i}`,
        timeUs: t0Us + times[i],
        verb,
        user: a.user,
        groups: a.groups,
        sourceIPs: [a.ip],
        userAgent: a.ua,
        resource,
        apiGroup: resource === 'deployments' ? 'apps' : null,
        namespace: ns,
        name,
        requestURI: name ? `${base}/${name}` : verb === 'watch' ? `${base}?watch=true&resourceVersion=${i}` : base,
        responseCode: r() < 0.05 ? 403 : verb === 'create' ? 201 : 200,
        decision: 'allow',
      }),
    );
  }
  return out;
}
