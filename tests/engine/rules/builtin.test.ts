import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { loadBuiltinRules, runRules, SEVERITY_RANK } from '../../../src/engine/rules/index.ts';
import { cronjob, deployment, ev, pod } from './events.ts';

const rules = loadBuiltinRules();
const byId = new Map(rules.map((r) => [r.id, r]));

/** One event each rule was written for. Every rule of the pack must appear here. */
const fires: Record<string, AuditEvent[]> = {
  'GS-T1609-EXEC': [ev({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'web' })],
  'GS-T1609-ATTACH': [ev({ verb: 'create', resource: 'pods', subresource: 'attach', name: 'web' })],
  'GS-T1609-EXEC-SYSTEM': [ev({ verb: 'get', resource: 'pods', subresource: 'exec', namespace: 'kube-system', name: 'etcd-0' })],
  'GS-T1609-EXEC-PRIVILEGED': [
    pod({ containers: [{ name: 'x', securityContext: { privileged: true } }] }, { name: 'evil' }),
    ev({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'evil' }),
  ],
  'GS-T1610-EPHEMERAL': [ev({ verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', name: 'web' })],
  'GS-T1610-SIDECAR': [ev({ verb: 'patch', resource: 'deployments', name: 'web', requestObject: { spec: { template: { spec: { containers: [{ name: 'miner', image: 'x' }] } } } } })],
  'GS-T1610-DIRECT-POD': [pod({}, { user: 'alice' })],
  'GS-T1611-PRIVILEGED': [deployment({ initContainers: [{ name: 'i', securityContext: { privileged: true } }] })],
  'GS-T1611-HOSTPID': [cronjob({ hostPID: true })],
  'GS-T1611-HOSTNETWORK': [ev({ verb: 'create', resource: 'daemonsets', requestObject: { spec: { template: { spec: { hostNetwork: true, containers: [] } } } } })],
  'GS-T1611-HOSTIPC': [pod({ hostIPC: true })],
  'GS-T1611-SENSITIVE-MOUNT': [pod({ volumes: [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }] })],
  'GS-T1611-HOSTPATH': [pod({ volumes: [{ name: 'd', hostPath: { path: '/opt/data' } }] })],
  'GS-T1611-CAPS': [pod({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['CAP_SYS_ADMIN'] } } }] })],
  'GS-T1053.007-CRONJOB': [cronjob({})],
  'GS-T1036.005-LOOKALIKE': [pod({}, { name: 'kube-proxy-x7k2p', namespace: 'default' })],
  'GS-T1098-CLUSTER-ADMIN': [ev({ verb: 'create', resource: 'clusterrolebindings', requestObject: { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'mallory' }] } })],
  'GS-T1098-WILDCARD-ROLE': [ev({ verb: 'create', resource: 'roles', requestObject: { rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }] } })],
  'GS-T1609-EXEC-ROLE': [ev({ verb: 'create', resource: 'clusterroles', requestObject: { rules: [{ resources: ['pods/exec'], verbs: ['create'] }] } })],
  'GS-T1098-WRITE-ROLE': [ev({ verb: 'create', resource: 'clusterroles', requestObject: { rules: [{ resources: ['configmaps'], verbs: ['patch'] }] } })],
  'GS-T1098-SYSTEM-ROLE': [ev({ verb: 'delete', resource: 'clusterroles', name: 'system:kube-aggregator', namespace: null })],
  'GS-T1078-IMPERSONATION': [ev({ impersonatedUser: 'system:admin', impersonatedGroups: ['system:masters'] })],
  'GS-T1649-CSR-APPROVE': [ev({ verb: 'update', resource: 'certificatesigningrequests', subresource: 'approval', name: 'csr-1' })],
  'GS-PERSIST-WEBHOOK': [ev({ verb: 'create', resource: 'mutatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io' })],
  'GS-T1528-TOKENREQUEST': [ev({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'default' })],
  'GS-T1528-TOKEN-SECRET': [ev({ verb: 'create', resource: 'secrets', requestObject: { type: 'kubernetes.io/service-account-token' } })],
  'GS-T1552.007-SECRETS-LIST': [ev({ verb: 'list', resource: 'secrets', namespace: null })],
  'GS-T1552.007-SECRET-READ': [ev({ verb: 'get', resource: 'secrets', name: 'db' })],
  'GS-T1552-CONFIGMAP-CREDS': [ev({ verb: 'create', resource: 'configmaps', requestObject: { data: { 'app.ini': 'db_password = hunter2' } } })],
  'GS-T1078.001-ANONYMOUS': [ev({ user: 'system:anonymous', groups: ['system:unauthenticated'], decision: 'allow', requestURI: '/api/v1/secrets' })],
  'GS-T1613-ACCESS-REVIEW': [ev({ verb: 'create', resource: 'selfsubjectrulesreviews', apiGroup: 'authorization.k8s.io' })],
  'GS-T1613-FORBIDDEN-BURST': Array.from({ length: 10 }, (_, i) => ev({ responseCode: 403, timeUs: 1e15 + i * 1e6 })),
  'GS-T1613-DISCOVERY-BURST': Array.from({ length: 15 }, (_, i) => ev({ verb: 'list', resource: `kind${i}`, timeUs: 1e15 + i * 1e6 })),
  'GS-T1070-EVENTS-DELETE': [ev({ verb: 'delete', resource: 'events', name: 'e1' })],
  'GS-T1485-DELETECOLLECTION': [ev({ verb: 'deletecollection', resource: 'pods' })],
  'GS-T1485-NAMESPACE-DELETE': [ev({ verb: 'delete', resource: 'namespaces', name: 'prod', namespace: null })],
  'GS-PORTFORWARD': [ev({ verb: 'create', resource: 'pods', subresource: 'portforward', name: 'db' })],
  'GS-NODE-PROXY': [ev({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'node-1', requestURI: '/api/v1/nodes/node-1/proxy/runningpods/' })],
  'GS-T1133-NODEPORT': [ev({ verb: 'create', resource: 'services', requestObject: { spec: { type: 'NodePort' } } })],
  'GS-T1610-KUBE-NS-POD': [pod({}, { namespace: 'kube-public' })],
  'GS-T1136-KUBE-NS-SA': [ev({ verb: 'create', resource: 'serviceaccounts', namespace: 'kube-system', name: 'backdoor' })],
  'GS-T1036.005-NAMESPACE': [ev({ verb: 'create', resource: 'namespaces', name: 'kube-systen', namespace: null })],
};

describe('built-in ATT&CK pack', () => {
  it('has at least 25 rules, each fully described', () => {
    expect(rules.length).toBeGreaterThanOrEqual(25);
    for (const r of rules) {
      expect(r.id).toMatch(/^GS-/);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.description.length).toBeGreaterThan(20);
      expect(r.techniques.length).toBeGreaterThan(0);
      for (const t of r.techniques) expect(t).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(r.falsePositives.length).toBeGreaterThan(0);
      expect(r.fields.length).toBeGreaterThan(0);
      expect(SEVERITY_RANK[r.severity]).toBeGreaterThanOrEqual(0);
    }
  });

  it('covers the ATT&CK for Containers techniques audit logs can show', () => {
    const techniques = new Set(rules.flatMap((r) => r.techniques));
    for (const t of ['T1609', 'T1610', 'T1611', 'T1053.007', 'T1528', 'T1078', 'T1098', 'T1552.007', 'T1613', 'T1070', 'T1078.001', 'T1036.005', 'T1485']) {
      expect(techniques.has(t), t).toBe(true);
    }
  });

  it('has an example for every rule, and every example fires its rule', () => {
    expect(Object.keys(fires).sort()).toEqual(rules.map((r) => r.id).sort());
    for (const [id, events] of Object.entries(fires)) {
      const hits = runRules([byId.get(id)!], events);
      expect(hits.length, id).toBeGreaterThan(0);
      const last = hits.at(-1)!;
      expect(last.ruleId).toBe(id);
      expect(last.auditID).toBe(events.at(-1)!.auditID);
      expect(last.detail.length).toBeGreaterThan(0);
    }
  });

  it('stays quiet above info on routine control-plane and read traffic', () => {
    const routine = [
      ev({ verb: 'get', resource: 'configmaps', user: 'alice' }),
      pod({}, { user: 'system:serviceaccount:kube-system:replicaset-controller' }),
      pod({ volumes: [{ name: 'cfg', configMap: { name: 'c' } }] }, { user: 'system:serviceaccount:kube-system:replicaset-controller' }),
      ev({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', user: 'system:node:node-1' }),
      ev({ verb: 'list', resource: 'secrets', user: 'system:kube-controller-manager' }),
      ev({ verb: 'create', resource: 'namespaces', name: 'team-a', namespace: null }),
      ev({ verb: 'create', resource: 'configmaps', requestObject: { data: { 'ui.properties': 'color=purple' } } }),
      ev({ user: 'system:anonymous', groups: ['system:unauthenticated'], decision: 'allow', requestURI: '/healthz' }),
      ev({ user: 'system:anonymous', groups: ['system:unauthenticated'], decision: 'forbid', responseCode: 403, requestURI: '/api/v1/secrets' }),
      ev({ verb: 'create', resource: 'pods', name: 'kube-proxy-abc', namespace: 'kube-system', user: 'system:node:n1' }),
      ev({ verb: 'create', resource: 'rolebindings', requestObject: { roleRef: { name: 'view' } } }),
    ];
    const loud = runRules(rules, routine).filter((h) => h.severity !== 'info');
    expect(loud.map((h) => `${h.ruleId}: ${h.detail}`)).toEqual([]);
  });

  it('finds privileged containers in every pod-template shape, and not in a plain pod', () => {
    const r = [byId.get('GS-T1611-PRIVILEGED')!];
    const priv = { containers: [{ name: 'c', securityContext: { privileged: true } }] };
    expect(runRules(r, [pod(priv), deployment(priv), cronjob(priv)])).toHaveLength(3);
    expect(runRules(r, [pod({}), deployment({}), cronjob({ containers: [{ name: 'c', securityContext: { privileged: false } }] })])).toHaveLength(0);
  });

  it('flags kube-namespace pods by their creator or by an image from outside system registries', () => {
    const r = [byId.get('GS-T1610-KUBE-NS-POD')!];
    const rs = 'system:serviceaccount:kube-system:replicaset-controller';
    const img = (image: string) => ({ containers: [{ name: 'c', image }] });
    expect(runRules(r, [pod(img('nginx'), { namespace: 'kube-system', user: rs })])).toHaveLength(1);
    expect(runRules(r, [pod(img('registry.k8s.io/kube-proxy:v1.30.0'), { namespace: 'kube-system', user: rs })])).toHaveLength(0);
    expect(runRules(r, [pod(img('registry.k8s.io/kube-proxy:v1.30.0'), { namespace: 'kube-system', user: 'mallory' })])).toHaveLength(1);
    expect(runRules(r, [pod(img('nginx'), { namespace: 'default', user: rs })])).toHaveLength(0);
  });

  it('reports each burst once, not once per event past the threshold', () => {
    const burst = Array.from({ length: 40 }, (_, i) => ev({ responseCode: 403, timeUs: 1e15 + i * 1e6, user: 'mallory' }));
    const hits = runRules([byId.get('GS-T1613-FORBIDDEN-BURST')!], burst);
    expect(hits).toHaveLength(1);
    expect(hits[0].detail).toContain('mallory');
    // Nine refusals a minute apart never reach ten within a window.
    const slow = Array.from({ length: 30 }, (_, i) => ev({ responseCode: 403, timeUs: 1e15 + i * 61e6 }));
    expect(runRules([byId.get('GS-T1613-FORBIDDEN-BURST')!], slow)).toHaveLength(0);
  });

  it('keeps state per run: reusing the pack for a second run starts clean', () => {
    const r = [byId.get('GS-T1613-FORBIDDEN-BURST')!];
    const nine = Array.from({ length: 9 }, (_, i) => ev({ responseCode: 403, timeUs: 1e15 + i * 1e6 }));
    expect(runRules(r, nine)).toHaveLength(0);
    expect(runRules(r, nine)).toHaveLength(0);
  });
});
