import type { Actor, ActorEnv } from './actors.ts';
import { periodic, timesIn } from './actors.ts';
import { saUser } from './cluster.ts';
import { crbReason } from './objects.ts';
import { MINUTE_US } from './time.ts';

const LEASE = { resource: 'leases', apiGroup: 'coordination.k8s.io', apiVersion: 'v1' };

/** Kubelets: node leases, node and pod status, and the secrets/configmaps their pods mount. */
export function kubelets(env: ActorEnv): Actor[] {
  const { cluster: c, scale } = env;
  return c.nodes.map((node) => {
    const { rng, rec } = env.spawn(`kubelet:${node.name}`);
    const user = { username: `system:node:${node.name}`, groups: ['system:nodes', 'system:authenticated'] };
    const ua = `kubelet/${c.version} ${c.uaTail}`;
    const phase = rng.int(0, 10_000_000);
    const mine = () => c.workloads.flatMap((w) => w.pods.filter((p) => p.node === node).map((p) => ({ w, p })));
    const call = (t: number, verb: string, ref: Parameters<typeof rec.call>[0]['ref'], query?: string) =>
      rec.call({ t, verb, user, ip: node.ip, ua, ref, query });
    return {
      tick(t0) {
        for (const t of periodic(rng, t0, 10_000_000 / scale, phase)) {
          call(t, 'update', { ...LEASE, namespace: 'kube-node-lease', name: node.name }, 'timeout=10s');
        }
        for (const t of timesIn(rng, t0, 0.2 * scale)) call(t, 'patch', { resource: 'nodes', name: node.name, apiVersion: 'v1', subresource: 'status' }, 'timeout=10s');
        const pods = mine();
        if (pods.length === 0) return;
        for (const t of timesIn(rng, t0, 0.6 * scale)) {
          const { w, p } = rng.pick(pods);
          call(t, 'patch', { resource: 'pods', namespace: w.namespace, name: p.name, apiVersion: 'v1', subresource: 'status' });
        }
        for (const t of timesIn(rng, t0, 1.2 * scale)) {
          const { w } = rng.pick(pods);
          const [resource, name] = rng.chance(0.5) ? ['secrets', rng.pick(w.secrets)] : ['configmaps', rng.pick(w.configmaps)];
          const q = `fieldSelector=metadata.name%3D${name}&limit=500&resourceVersion=0`;
          call(t, 'list', { resource, namespace: w.namespace, apiVersion: 'v1' }, q);
        }
        for (const t of timesIn(rng, t0, 0.3 * scale)) {
          const { w, p } = rng.pick(pods);
          call(t, 'get', { resource: 'pods', namespace: w.namespace, name: p.name, apiVersion: 'v1' });
        }
      },
    };
  });
}

/** kube-controller-manager, its controllers' service accounts, and kube-scheduler. */
export function controlPlane(env: ActorEnv): Actor[] {
  const { cluster: c, scale } = env;
  const leader = (component: string): Actor => {
    const { rng, rec } = env.spawn(component);
    const user = { username: `system:${component}`, groups: ['system:authenticated'] };
    const ua = `${component}/${c.version} ${c.uaTail}/leader-election`;
    const phase = rng.int(0, 2_000_000);
    const reason = crbReason(`system:${component}`, `system:${component}`, 'User', `system:${component}`);
    return {
      tick(t0) {
        for (const t of periodic(rng, t0, 2_000_000 / scale, phase)) {
          rec.call({ t, verb: 'update', user, ip: c.controlPlaneIP, ua, ref: { ...LEASE, namespace: 'kube-system', name: component }, query: 'timeout=5s', reason, latencyUs: rng.int(1500, 6000) });
        }
      },
    };
  };
  const controllers = (): Actor => {
    const { rng, rec } = env.spawn('controllers');
    const kinds: [string, string, string | undefined, string][] = [
      ['replicaset-controller', 'replicasets', 'apps', 'update'],
      ['endpointslice-controller', 'endpointslices', 'discovery.k8s.io', 'update'],
      ['endpoint-controller', 'endpoints', undefined, 'update'],
      ['deployment-controller', 'deployments', 'apps', 'update'],
      ['statefulset-controller', 'statefulsets', 'apps', 'update'],
      ['generic-garbage-collector', 'configmaps', undefined, 'list'],
      ['resourcequota-controller', 'resourcequotas', undefined, 'list'],
    ];
    return {
      tick(t0) {
        for (const t of timesIn(rng, t0, 14 * scale)) {
          const [sa, resource, apiGroup, verb] = rng.pick(kinds);
          const w = rng.pick(c.workloads);
          const user = saUser('kube-system', sa);
          const ua = `kube-controller-manager/${c.version} ${c.uaTail}/system:serviceaccount:kube-system:${sa}`;
          const reason = crbReason(`system:controller:${sa}`, `system:controller:${sa}`, 'ServiceAccount', `${sa}/kube-system`);
          if (verb === 'list') {
            rec.call({ t, verb, user, ip: c.controlPlaneIP, ua, ref: { resource, apiGroup, apiVersion: 'v1' }, query: 'limit=500&resourceVersion=0', reason });
          } else {
            const name = resource === 'endpointslices' ? `${w.name}-${rng.suffix(5)}` : w.name;
            const sub = resource === 'replicasets' || resource === 'deployments' || resource === 'statefulsets' ? 'status' : undefined;
            rec.call({ t, verb, user, ip: c.controlPlaneIP, ua, ref: { resource, namespace: w.namespace, name, apiGroup, apiVersion: 'v1', subresource: sub }, reason });
          }
        }
        for (const t of timesIn(rng, t0, 0.5 * scale)) {
          const user = saUser('kube-system', 'generic-garbage-collector');
          const ua = `kube-controller-manager/${c.version} ${c.uaTail}/system:serviceaccount:kube-system:generic-garbage-collector`;
          rec.call({ t, verb: 'get', user, ip: c.controlPlaneIP, ua, path: rng.pick(['/api', '/apis', '/apis/apps/v1', '/apis/batch/v1']), query: 'timeout=32s', reason: crbReason('system:discovery', 'system:discovery', 'Group', 'system:authenticated') });
        }
      },
    };
  };
  return [leader('kube-controller-manager'), leader('kube-scheduler'), controllers()];
}

/** coredns and kube-proxy: long watches that show both ResponseStarted and ResponseComplete. */
export function addons(env: ActorEnv): Actor[] {
  const { cluster: c, scale } = env;
  const watcher = (label: string, user: ReturnType<typeof saUser>, ip: string, ua: string, resources: [string, string | undefined][]): Actor => {
    const { rng, rec } = env.spawn(label);
    return {
      tick(t0) {
        // Each watch lasts 5–10 minutes (client-side timeoutSeconds) and is then re-established.
        for (const t of timesIn(rng, t0, (resources.length / 7.5) * scale)) {
          const [resource, apiGroup] = rng.pick(resources);
          const secs = rng.int(300, 600);
          const q = `allowWatchBookmarks=true&resourceVersion=${rng.int(1_000_000, 9_000_000)}&timeout=${Math.floor(secs / 60)}m${secs % 60}s&timeoutSeconds=${secs}&watch=true`;
          rec.call({ t, verb: 'watch', user, ip, ua, ref: { resource, apiGroup, apiVersion: 'v1' }, query: q, watchUs: secs * 1_000_000 + rng.int(0, 5000), reason: crbReason(`system:${label.split(':')[0]}`, `system:${label.split(':')[0]}`, 'ServiceAccount', `${label.split(':')[0]}/kube-system`) });
        }
      },
    };
  };
  const out: Actor[] = [];
  const dns = c.workloads.find((w) => w.name === 'coredns');
  for (const p of dns?.pods ?? []) {
    out.push(watcher(`coredns:${p.name}`, saUser('kube-system', 'coredns'), p.ip, 'coredns/v1.11.1 (linux/amd64) kubernetes/v1.11.1', [['endpointslices', 'discovery.k8s.io'], ['services', undefined], ['namespaces', undefined]]));
  }
  for (const n of c.nodes) {
    out.push(watcher(`kube-proxy:${n.name}`, saUser('kube-system', 'kube-proxy'), n.ip, `kube-proxy/${c.version} ${c.uaTail}`, [['endpointslices', 'discovery.k8s.io'], ['services', undefined]]));
  }
  return out;
}

export const WATCH_MAX_US = 11 * MINUTE_US;
