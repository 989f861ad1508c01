import type { Actor, ActorEnv } from './actors.ts';
import { periodic, timesIn } from './actors.ts';
import type { Recorder } from './audit.ts';
import { saUser, type Cluster, type Workload } from './cluster.ts';
import { crbReason, podBody } from './objects.ts';
import type { Rng } from './prng.ts';
import { HOUR_US, workRhythm } from './time.ts';

const APPS = { apiGroup: 'apps', apiVersion: 'v1' };

/**
 * A rollout as the control plane logs it: the ReplicaSet (or DaemonSet) controller creates pods
 * (RequestResponse, with the pod body), the scheduler binds them, kubelets report status, old pods go.
 */
export function rollout(c: Cluster, rng: Rng, rec: Recorder, w: Workload, t: number, opts: Parameters<typeof podBody>[3] = {}, image = `registry.example.com/${w.name}:${rng.hex(7)}`): void {
  const controller = w.kind === 'DaemonSet' ? 'daemon-set-controller' : w.kind === 'StatefulSet' ? 'statefulset-controller' : 'replicaset-controller';
  const cuser = saUser('kube-system', controller);
  const cua = `kube-controller-manager/${c.version} ${c.uaTail}/system:serviceaccount:kube-system:${controller}`;
  const creason = crbReason(`system:controller:${controller}`, `system:controller:${controller}`, 'ServiceAccount', `${controller}/kube-system`);
  const sched = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
  const hash = rng.suffix(9) + rng.int(0, 9);
  const nodes = w.kind === 'DaemonSet' ? c.nodes : w.pods.map((p) => p.node);
  const old = w.pods;
  w.pods = nodes.map((node, i) => {
    const name = w.kind === 'StatefulSet' ? `${w.name}-${i}` : w.kind === 'DaemonSet' ? `${w.name}-${rng.suffix(5)}` : `${w.name}-${hash}-${rng.suffix(5)}`;
    return { name, ip: opts.hostNetwork ? node.ip : `10.244.${c.nodes.indexOf(node)}.${rng.int(2, 250)}`, node };
  });
  let at = t;
  for (const p of w.pods) {
    at += rng.int(20_000, 400_000);
    const body = podBody(w.namespace, p.name, image, { serviceAccount: w.serviceAccount, ownerKind: w.kind === 'Deployment' ? 'ReplicaSet' : w.kind, ownerName: w.name, nodeName: w.kind === 'DaemonSet' ? p.node.name : undefined, ...opts });
    rec.call({ t: at, verb: 'create', user: cuser, ip: c.controlPlaneIP, ua: cua, ref: { resource: 'pods', namespace: w.namespace, apiVersion: 'v1' }, reqObj: body, received: true, reason: creason, extraAnnotations: { 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' } });
    if (w.kind !== 'DaemonSet') {
      const binding = { kind: 'Binding', apiVersion: 'v1', metadata: { name: p.name, namespace: w.namespace }, target: { kind: 'Node', name: p.node.name } };
      rec.call({ t: at + rng.int(2000, 60_000), verb: 'create', user: sched, ip: c.controlPlaneIP, ua: `kube-scheduler/${c.version} ${c.uaTail}/scheduler`, ref: { resource: 'pods', namespace: w.namespace, name: p.name, apiVersion: 'v1', subresource: 'binding' }, reqObj: binding, reason: crbReason('system:kube-scheduler', 'system:kube-scheduler', 'User', 'system:kube-scheduler') });
    }
    const kubelet = { username: `system:node:${p.node.name}`, groups: ['system:nodes', 'system:authenticated'] };
    rec.call({ t: at + rng.int(1_000_000, 8_000_000), verb: 'patch', user: kubelet, ip: p.node.ip, ua: `kubelet/${c.version} ${c.uaTail}`, ref: { resource: 'pods', namespace: w.namespace, name: p.name, apiVersion: 'v1', subresource: 'status' } });
  }
  if (w.kind === 'StatefulSet') return;
  for (const p of old) {
    at += rng.int(500_000, 3_000_000);
    rec.call({ t: at, verb: 'delete', user: cuser, ip: c.controlPlaneIP, ua: cua, ref: { resource: 'pods', namespace: w.namespace, name: p.name, apiVersion: 'v1' }, reason: creason });
  }
}

/** Argo CD: periodic reconciliation lists, syncs after merges, and the node-exporter rollout. */
export function gitops(env: ActorEnv, startUs: number): Actor {
  const { cluster: c, scale } = env;
  const { rng, rec } = env.spawn('gitops');
  const user = saUser(c.gitopsNamespace, 'argocd-application-controller');
  const ua = 'argocd-application-controller/v2.10.4+f5d63a5 (linux/amd64) kubernetes/v0.0.0';
  const pod = c.workloads.find((w) => w.name === 'argocd-application-controller')!.pods[0];
  const reason = crbReason('argocd-application-controller', 'argocd-application-controller', 'ServiceAccount', `argocd-application-controller/${c.gitopsNamespace}`);
  const types: [string, string | undefined][] = [['deployments', 'apps'], ['services', undefined], ['configmaps', undefined], ['statefulsets', 'apps'], ['ingresses', 'networking.k8s.io'], ['daemonsets', 'apps'], ['serviceaccounts', undefined]];
  // The look-alike: a node exporter DaemonSet with hostPID, hostNetwork and `/` mounted read-only.
  const exporterAt = startUs + 2 * HOUR_US + rng.int(0, HOUR_US);
  let exporterDone = false;
  const exporter: Workload = { namespace: 'monitoring', name: 'node-exporter', kind: 'DaemonSet', serviceAccount: 'node-exporter', pods: [], configmaps: [], secrets: [] };
  const phase = rng.int(0, 180_000_000);
  return {
    tick(t0) {
      for (const t of periodic(rng, t0, 180_000_000 / scale, phase)) {
        let at = t;
        for (const [resource, apiGroup] of types) {
          at += rng.int(5_000, 80_000);
          rec.call({ t: at, verb: 'list', user, ip: pod.ip, ua, ref: { resource, apiGroup, apiVersion: 'v1' }, query: 'limit=500', reason });
        }
      }
      for (const t of timesIn(rng, t0, (0.4 / 60) * workRhythm(t0, 1) * scale * 4)) {
        const w = rng.pick(c.workloads.filter((x) => x.kind === 'Deployment' && x.namespace !== 'kube-system'));
        rec.call({ t, verb: 'patch', user, ip: pod.ip, ua, ref: { resource: 'deployments', namespace: w.namespace, name: w.name, ...APPS }, reqObj: { spec: { template: { metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '0' } } } } }, received: true, reason });
        rollout(c, rng, rec, w, t + 500_000);
      }
      if (!exporterDone && t0 + 60_000_000 > exporterAt) {
        exporterDone = true;
        const body = { kind: 'DaemonSet', apiVersion: 'apps/v1', metadata: { name: 'node-exporter', namespace: 'monitoring' }, spec: { template: podBody('monitoring', 'node-exporter', 'quay.io/prometheus/node-exporter:v1.7.0', { hostPID: true, hostNetwork: true, hostPaths: [['/proc', '/host/proc'], ['/sys', '/host/sys'], ['/', '/host/root']] }) } };
        rec.call({ t: exporterAt, verb: 'create', user, ip: pod.ip, ua, ref: { resource: 'daemonsets', namespace: 'monitoring', ...APPS }, reqObj: body, received: true, reason });
        rollout(c, rng, rec, exporter, exporterAt + 300_000, { hostPID: true, hostNetwork: true, serviceAccount: 'node-exporter', hostPaths: [['/proc', '/host/proc'], ['/sys', '/host/sys'], ['/', '/host/root']] }, 'quay.io/prometheus/node-exporter:v1.7.0');
        c.workloads.push(exporter);
      }
    },
  };
}

/** The CI/CD deployer: a service account used from two fixed runner IPs in working hours. */
export function deployer(env: ActorEnv): Actor {
  const { cluster: c, scale } = env;
  const { rng, rec } = env.spawn('deployer');
  const user = saUser('ci', 'deployer');
  return {
    tick(t0) {
      for (const t of timesIn(rng, t0, (1.5 / 60) * workRhythm(t0, 1) * scale)) {
        const w = rng.pick(c.workloads.filter((x) => ['web', 'payments'].includes(x.namespace)));
        const ip = rng.pick(c.ciIPs);
        const ua = rng.chance(0.5) ? 'helm/v3.14.2 (linux/amd64) kubernetes/v0.0.0' : 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819';
        const reason = `RBAC: allowed by RoleBinding "deployer/${w.namespace}" of ClusterRole "edit" to ServiceAccount "deployer/ci"`;
        let at = t;
        rec.call({ t: at, verb: 'get', user, ip, ua, ref: { resource: 'deployments', namespace: w.namespace, name: w.name, ...APPS }, reason });
        at += rng.int(100_000, 900_000);
        rec.call({ t: at, verb: 'patch', user, ip, ua, ref: { resource: 'configmaps', namespace: w.namespace, name: w.configmaps[0], apiVersion: 'v1' }, reqObj: { data: { release: rng.hex(7) } }, reason });
        at += rng.int(100_000, 900_000);
        rec.call({ t: at, verb: 'patch', user, ip, ua, ref: { resource: 'deployments', namespace: w.namespace, name: w.name, ...APPS }, reqObj: { spec: { template: { spec: { containers: [{ name: w.name, image: `registry.example.com/${w.name}:${rng.hex(7)}` }] } } } }, received: true, reason });
        if (w.kind === 'Deployment') rollout(c, rng, rec, w, at + 200_000);
        for (let i = 0; i < rng.int(3, 8); i++) {
          at += rng.int(1_000_000, 5_000_000);
          rec.call({ t: at, verb: 'get', user, ip, ua, ref: { resource: 'deployments', namespace: w.namespace, name: w.name, ...APPS }, reason });
        }
      }
    },
  };
}

/** Prometheus: node metrics through the API server proxy, and service discovery lists. */
export function monitoring(env: ActorEnv): Actor {
  const { cluster: c, scale } = env;
  const { rng, rec } = env.spawn('prometheus');
  const user = saUser('monitoring', 'prometheus');
  const ua = 'Prometheus/2.50.1';
  const ip = c.workloads.find((w) => w.name === 'prometheus')!.pods[0].ip;
  const reason = crbReason('prometheus', 'prometheus', 'ServiceAccount', 'prometheus/monitoring');
  const phase = rng.int(0, 60_000_000);
  return {
    tick(t0) {
      for (const t of periodic(rng, t0, 60_000_000 / scale, phase)) {
        let at = t;
        for (const n of c.nodes) {
          at += rng.int(1000, 300_000);
          rec.call({ t: at, verb: 'get', user, ip, ua, ref: { resource: 'nodes', name: n.name, apiVersion: 'v1', subresource: 'proxy' }, path: undefined, reason });
        }
      }
      for (const t of timesIn(rng, t0, 0.5 * scale)) {
        const resource = rng.pick(['pods', 'endpoints', 'services']);
        rec.call({ t, verb: 'list', user, ip, ua, ref: { resource, apiVersion: 'v1' }, query: 'limit=500&resourceVersion=0', reason });
      }
    },
  };
}
