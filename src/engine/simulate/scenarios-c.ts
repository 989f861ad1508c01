// Scenarios no built-in rule names (issue 10): what is wrong is who did it, where, or to what,
// not any single field a rule could match. tests/engine/simulate/rules-blind.test.ts keeps them so.
import { publicIP, saUser, workload, type Cluster, type Workload } from './cluster.ts';
import { crbReason, rbReason } from './objects.ts';
import { collectGarbage, controller, KUBECTL_PEOPLE, newReplicaSet, startPods, type Play, type ScenarioDef } from './scenario-kit.ts';
import { DAY_US } from './time.ts';

const V1 = { apiVersion: 'v1' };
const APPS = { apiGroup: 'apps', apiVersion: 'v1' };
const VELERO = { apiGroup: 'velero.io', apiVersion: 'v1' };

/** `20240303` for the day before `t`, as Velero names scheduled backups. */
const yyyymmdd = (t: number): string => new Date(Math.floor(t / 1000)).toISOString().slice(0, 10).replaceAll('-', '');

/** A Deployment's ReplicaSet name: the pod-template hash suffix Kubernetes generates. */
const replicaSetName = (s: Play, name: string): string => `${name}-${s.rng.suffix(9)}${s.rng.int(0, 9)}`;

/** What the garbage collector removes after a workload is deleted: its ReplicaSet (if any) and pods. */
function orphansOf(s: Play, w: Workload): { resource: string; namespace: string; name: string; apiGroup?: string; apiVersion: string }[] {
  if (w.kind === 'StatefulSet') return w.pods.map((p) => ({ resource: 'pods', namespace: w.namespace, name: p.name, ...V1 }));
  const rs = replicaSetName(s, w.name);
  return [{ resource: 'replicasets', namespace: w.namespace, name: rs, ...APPS }, ...w.pods.map(() => ({ resource: 'pods', namespace: w.namespace, name: `${rs}-${s.rng.suffix(5)}`, ...V1 }))];
}

export const massDelete: ScenarioDef = {
  id: 'mass-delete',
  label: 'malicious',
  techniques: ['T1485', 'T1490'],
  description: "The Velero backup service account's token (which only ever lists), from a new public IP: stops the backup schedule, asks Velero to delete the last backups, then deletes deployments, statefulsets, services and configmaps one by one across four namespaces.",
  when: 'any',
  play(s) {
    const user = saUser('backup', 'velero');
    const ip = publicIP(s.rng);
    const ua = 'kubectl/v1.28.4 (linux/amd64) kubernetes/bae2c62';
    const reason = crbReason('velero', 'cluster-admin', 'ServiceAccount', 'velero/backup');
    s.call({ verb: 'list', user, ip, ua, ref: { resource: 'schedules', namespace: 'backup', ...VELERO }, query: 'limit=500', reason });
    s.call({ verb: 'delete', user, ip, ua, ref: { resource: 'schedules', namespace: 'backup', name: 'nightly', ...VELERO }, reason });
    s.call({ verb: 'list', user, ip, ua, ref: { resource: 'backups', namespace: 'backup', ...VELERO }, query: 'limit=500', reason });
    // `velero backup delete` files a DeleteBackupRequest per backup; Velero then purges object storage.
    const backups = s.rng.int(3, 5);
    for (let d = 1; d <= backups; d++) {
      const body = { kind: 'DeleteBackupRequest', apiVersion: 'velero.io/v1', metadata: { generateName: 'nightly-', namespace: 'backup' }, spec: { backupName: `nightly-${yyyymmdd(s.t - d * DAY_US)}010000` } };
      s.call({ verb: 'create', user, ip, ua, ref: { resource: 'deletebackuprequests', namespace: 'backup', ...VELERO }, reqObj: body, reason });
    }
    for (const ns of ['web', 'payments', 'data', 'monitoring']) {
      const ws = s.c.workloads.filter((w) => w.namespace === ns);
      for (const kind of ['deployments', 'statefulsets'] as const) {
        const mine = ws.filter((w) => (kind === 'deployments') === (w.kind === 'Deployment'));
        if (mine.length === 0) continue;
        s.call({ verb: 'list', user, ip, ua, ref: { resource: kind, namespace: ns, ...APPS }, query: 'limit=500', reason });
        for (const w of mine) {
          s.call({ verb: 'delete', user, ip, ua, ref: { resource: kind, namespace: ns, name: w.name, ...APPS }, reason });
          collectGarbage(s, s.lastCall, orphansOf(s, w));
        }
      }
      for (const [resource, names] of [['services', ws.map((w) => w.name)], ['configmaps', ws.map((w) => w.configmaps[0])]] as const) {
        s.call({ verb: 'list', user, ip, ua, ref: { resource, namespace: ns, ...V1 }, query: 'limit=500', reason });
        for (const name of names) s.call({ verb: 'delete', user, ip, ua, ref: { resource, namespace: ns, name, ...V1 }, reason });
      }
    }
  },
};

/** XMRig renamed after the exporter it poses as, with the flags miners in clusters use (pool, wallet, CPU share, no donation). */
const minerCommand = (wallet: string): string[] => ['/usr/local/bin/redis_exporter', '-o', 'gulf.moneroocean.stream:10128', '-u', `4${wallet}`, '--cpu-max-threads-hint=75', '--donate-level=0', '--no-color'];

export const foreignRegistry: ScenarioDef = {
  id: 'foreign-registry',
  label: 'malicious',
  techniques: ['T1610', 'T1204.003', 'T1496'],
  description: "Malware on a developer's laptop uses her kubeconfig, from her usual address, to create a Deployment in data running an image from ghcr.io, a registry this cluster never pulled from: a miner named like an exporter.",
  when: 'work',
  play(s) {
    const h = s.rng.pick(s.c.humans.filter((x) => !x.user.groups?.includes('oidc:sre') && x.namespaces.includes('data')));
    const ip = s.rng.pick(h.ips);
    const reason = rbReason('developers', 'edit', 'data', 'Group', 'oidc:developers');
    const name = 'redis-exporter';
    const image = `ghcr.io/redis-observability/redis-exporter:v1.58.${s.rng.int(0, 3)}`;
    const resources = { requests: { cpu: '1500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } };
    const labels = { app: name, 'app.kubernetes.io/component': 'metrics' };
    const command = minerCommand(s.rng.hex(94));
    const template = { metadata: { labels }, spec: { containers: [{ name: 'redis', image, command, resources }] } };
    s.call({ verb: 'list', user: h.user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'deployments', namespace: 'data', ...APPS }, query: 'limit=500', reason });
    const body = { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name, namespace: 'data', labels }, spec: { replicas: 3, selector: { matchLabels: { app: name } }, template } };
    s.call({ verb: 'create', user: h.user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'deployments', namespace: 'data', ...APPS }, query: 'fieldManager=kubectl-client-side-apply&fieldValidation=Strict', reqObj: body, reason });
    const rs = newReplicaSet(s, s.lastCall + 30_000, 'data', name, template);
    startPods(s, s.lastCall + 100_000, { namespace: 'data', ownerKind: 'ReplicaSet', ownerName: rs, serviceAccount: 'default', image, replicas: 3, pod: { command, labels, resources } });
    for (let i = s.rng.int(2, 4); i > 0; i--) {
      s.call({ verb: 'get', user: h.user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'deployments', namespace: 'data', name, ...APPS }, reason });
    }
    s.call({ verb: 'list', user: h.user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'pods', namespace: 'data', ...V1 }, query: `labelSelector=app%3D${name}&limit=500`, reason });
  },
};

/** Security agents as their Helm charts install them: namespace, node DaemonSet, the cluster-level piece. */
const AGENTS = [
  { namespace: 'falco', daemonset: 'falco', deployment: 'falco-falcosidekick' },
  { namespace: 'datadog', daemonset: 'datadog-agent', deployment: 'datadog-cluster-agent' },
  { namespace: 'falcon-system', daemonset: 'falcon-node-sensor', deployment: 'falcon-kac' },
];

export const agentRemoved: ScenarioDef = {
  id: 'agent-removed',
  label: 'malicious',
  techniques: ['T1562.001'],
  description: "An SRE's credentials, from a new public IP at night, delete the runtime-security agent's DaemonSet and its cluster-level Deployment (the namespace stays, so nothing looks uninstalled).",
  when: 'night',
  play(s) {
    const h = s.rng.pick(s.c.humans.filter((x) => x.user.groups?.includes('oidc:sre')));
    const ip = publicIP(s.rng);
    const ua = 'kubectl/v1.28.2 (darwin/arm64) kubernetes/89a4ea3';
    const reason = crbReason('sre-admin', 'cluster-admin', 'Group', 'oidc:sre');
    const a = s.rng.pick(AGENTS);
    s.call({ verb: 'list', user: h.user, ip, ua, ref: { resource: 'daemonsets', ...APPS }, query: 'limit=500', reason });
    s.call({ verb: 'list', user: h.user, ip, ua, ref: { resource: 'pods', namespace: a.namespace, ...V1 }, query: 'limit=500', reason });
    s.call({ verb: 'delete', user: h.user, ip, ua, ref: { resource: 'daemonsets', namespace: a.namespace, name: a.daemonset, ...APPS }, reason, received: true });
    collectGarbage(s, s.lastCall, s.c.nodes.map(() => ({ resource: 'pods', namespace: a.namespace, name: `${a.daemonset}-${s.rng.suffix(5)}`, ...V1 })));
    s.wait(5, 40);
    s.call({ verb: 'delete', user: h.user, ip, ua, ref: { resource: 'deployments', namespace: a.namespace, name: a.deployment, ...APPS }, reason });
    const rs = replicaSetName(s, a.deployment);
    collectGarbage(s, s.lastCall, [{ resource: 'replicasets', namespace: a.namespace, name: rs, ...APPS }, { resource: 'pods', namespace: a.namespace, name: `${rs}-${s.rng.suffix(5)}`, ...V1 }]);
    s.call({ verb: 'list', user: h.user, ip, ua, ref: { resource: 'pods', namespace: a.namespace, ...V1 }, query: 'limit=500', reason });
  },
};

/** The DNS pods restarted by a changed pod template: new ReplicaSet, new pods, old ones gone. */
function restartCoreDNS(s: Play, c: Cluster, at: number): void {
  const dns = workload(c, 'coredns');
  const image = 'registry.k8s.io/coredns/coredns:v1.11.1';
  const rs = newReplicaSet(s, at, 'kube-system', 'coredns', { spec: { serviceAccountName: 'coredns', containers: [{ name: 'coredns', image }] } });
  startPods(s, at + 80_000, { namespace: 'kube-system', ownerKind: 'ReplicaSet', ownerName: rs, serviceAccount: 'coredns', image, replicas: dns.pods.length });
  const rsCtl = controller(c, 'replicaset-controller');
  let t = at + 15_000_000;
  for (const p of dns.pods) {
    t += s.rng.int(2_000_000, 10_000_000);
    s.consequence({ t, verb: 'delete', user: rsCtl.user, ip: rsCtl.ip, ua: rsCtl.ua, ref: { resource: 'pods', namespace: 'kube-system', name: p.name, ...V1 }, reason: rsCtl.reason });
  }
}

export const corednsHijack: ScenarioDef = {
  id: 'coredns-hijack',
  label: 'malicious',
  techniques: ['T1557', 'T1078'],
  description: "A poisoned commit synced by Argo CD (its own identity, pod and user agent) edits kube-system's coredns ConfigMap to answer for the payment provider's API with an outside address, and bumps the coredns pod template so the change loads. Argo CD never touched kube-system before.",
  when: 'work',
  play(s) {
    const user = saUser(s.c.gitopsNamespace, 'argocd-application-controller');
    const ip = workload(s.c, 'argocd-application-controller').pods[0].ip;
    const ua = 'argocd-application-controller/v2.10.4+f5d63a5 (linux/amd64) kubernetes/v0.0.0';
    const reason = crbReason('argocd-application-controller', 'argocd-application-controller', 'ServiceAccount', `argocd-application-controller/${s.c.gitopsNamespace}`);
    s.call({ verb: 'get', user, ip, ua, ref: { resource: 'configmaps', namespace: 'kube-system', name: 'coredns', ...V1 }, reason });
    // The Corefile body is not in the log: the cluster's policy keeps configmaps at Metadata.
    s.call({ verb: 'patch', user, ip, ua, ref: { resource: 'configmaps', namespace: 'kube-system', name: 'coredns', ...V1 }, reason });
    s.call({ verb: 'get', user, ip, ua, ref: { resource: 'deployments', namespace: 'kube-system', name: 'coredns', ...APPS }, reason });
    const bump = { spec: { template: { metadata: { annotations: { 'checksum/config': s.rng.hex(64) } } } } };
    s.call({ verb: 'patch', user, ip, ua, ref: { resource: 'deployments', namespace: 'kube-system', name: 'coredns', ...APPS }, reqObj: bump, received: true, reason });
    restartCoreDNS(s, s.c, s.lastCall + 30_000);
  },
};
