import type { Actor, ActorEnv } from './actors.ts';
import { timesIn } from './actors.ts';
import type { ObjectRef } from './audit.ts';
import { publicIP, saUser, type Human } from './cluster.ts';
import { crbReason, rbReason } from './objects.ts';
import { DAY_US, HOUR_US, MINUTE_US, hourOf, workRhythm } from './time.ts';

const KUBECTL = 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819';

/** People at kubectl: sessions of reads, logs, and now and then an exec, a port-forward or a restart. */
export function humans(env: ActorEnv): Actor[] {
  const { cluster: c, scale } = env;
  return c.humans.map((h: Human) => {
    const { rng, rec } = env.spawn(`human:${h.user.username}`);
    const sre = h.user.groups?.includes('oidc:sre') ?? false;
    return {
      tick(t0) {
        for (const t of timesIn(rng, t0, (h.activity / 60) * workRhythm(t0, h.tz) * scale)) {
          const ip = rng.chance(0.8) ? h.ips[0] : h.ips[1];
          let at = t;
          const call = (verb: string, ref?: ObjectRef, query?: string, path?: string, extra: { received?: boolean; reqObj?: unknown } = {}) => {
            const ns = ref?.namespace;
            const allowed = sre || (ns !== undefined && h.namespaces.includes(ns)) || path !== undefined;
            const reason = sre ? crbReason('sre-admin', 'cluster-admin', 'Group', 'oidc:sre') : ns ? rbReason('developers', 'edit', ns, 'Group', 'oidc:developers') : crbReason('system:discovery', 'system:discovery', 'Group', 'system:authenticated');
            rec.call({ t: at, verb, user: h.user, ip, ua: KUBECTL, ref, query, path, code: allowed ? undefined : 403, reason, ...extra });
            at += rng.int(2_000_000, 40_000_000);
          };
          if (rng.chance(0.3)) {
            call('get', undefined, 'timeout=32s', '/api');
            call('get', undefined, 'timeout=32s', '/apis');
          }
          const ns = rng.chance(0.9) ? rng.pick(h.namespaces) : rng.pick(c.namespaces);
          const ws = c.workloads.filter((w) => w.namespace === ns && w.pods.length > 0);
          for (let i = rng.int(2, 14); i > 0; i--) {
            const w = ws.length ? rng.pick(ws) : undefined;
            const p = w ? rng.pick(w.pods) : undefined;
            const r = rng.next();
            if (r < 0.35 || !w || !p) call('list', { resource: 'pods', namespace: ns, apiVersion: 'v1' }, 'limit=500');
            else if (r < 0.55) {
              call('get', { resource: 'pods', namespace: ns, name: p.name, apiVersion: 'v1' });
              call('list', { resource: 'events', namespace: ns, apiVersion: 'v1' }, `fieldSelector=involvedObject.name%3D${p.name}%2CinvolvedObject.namespace%3D${ns}%2CinvolvedObject.uid%3D${rng.uuid()}&limit=500`);
            } else if (r < 0.75) call('get', { resource: 'pods', namespace: ns, name: p.name, apiVersion: 'v1', subresource: 'log' }, `container=${w.name.split('-')[0]}&tailLines=${rng.pick([50, 100, 200])}`);
            else if (r < 0.85) call('list', { resource: 'deployments', namespace: ns, apiGroup: 'apps', apiVersion: 'v1' }, 'limit=500');
            else if (r < 0.9) call('list', { resource: 'services', namespace: ns, apiVersion: 'v1' }, 'limit=500');
            else if (r < 0.94) call('create', { resource: 'pods', namespace: ns, name: p.name, apiVersion: 'v1', subresource: 'exec' }, `command=sh&container=${w.name.split('-')[0]}&stdin=true&stdout=true&tty=true`, undefined, { received: true });
            else if (r < 0.97) call('create', { resource: 'pods', namespace: ns, name: p.name, apiVersion: 'v1', subresource: 'portforward' }, undefined, undefined, { received: true });
            else call('patch', { resource: 'deployments', namespace: ns, name: w.name, apiGroup: 'apps', apiVersion: 'v1' }, 'fieldManager=kubectl-rollout', undefined, { received: true, reqObj: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date(Math.floor(at / 1000)).toISOString().slice(0, 19) + 'Z' } } } } } });
          }
        }
      },
    };
  });
}

/**
 * The nightly backup CronJob (Velero): lists every resource type and every namespace's secrets.
 * A naive "secret enumeration" rule fires on it every night; that is the point.
 */
export function backups(env: ActorEnv, backupHourUTC: number): Actor {
  const { cluster: c } = env;
  const { rng, rec } = env.spawn('backups');
  const user = saUser('backup', 'velero');
  const ua = 'velero-server/v1.13.0 (linux/amd64) 76670e940c52880a18dbbc59e3cbee7b94cd3352';
  const reason = crbReason('velero', 'cluster-admin', 'ServiceAccount', 'velero/backup');
  const types: [string, string | undefined][] = [['secrets', undefined], ['configmaps', undefined], ['persistentvolumeclaims', undefined], ['services', undefined], ['serviceaccounts', undefined], ['deployments', 'apps'], ['statefulsets', 'apps'], ['daemonsets', 'apps'], ['roles', 'rbac.authorization.k8s.io'], ['rolebindings', 'rbac.authorization.k8s.io'], ['ingresses', 'networking.k8s.io'], ['cronjobs', 'batch']];
  return {
    tick(t0) {
      const h = hourOf(t0);
      if (Math.floor(h) !== backupHourUTC || Math.floor((h % 1) * 60) !== 0) return;
      const cj = saUser('kube-system', 'cronjob-controller');
      rec.call({ t: t0 + rng.int(0, 2_000_000), verb: 'create', user: cj, ip: c.controlPlaneIP, ua: `kube-controller-manager/${c.version} ${c.uaTail}/system:serviceaccount:kube-system:cronjob-controller`, ref: { resource: 'jobs', namespace: 'backup', apiGroup: 'batch', apiVersion: 'v1' }, reqObj: { kind: 'Job', apiVersion: 'batch/v1', metadata: { name: `nightly-${Math.floor(t0 / DAY_US)}`, namespace: 'backup' } }, reason: crbReason('system:controller:cronjob-controller', 'system:controller:cronjob-controller', 'ServiceAccount', 'cronjob-controller/kube-system') });
      const ip = c.workloads.find((w) => w.name === 'velero')!.pods[0].ip;
      let at = t0 + 20_000_000 + rng.int(0, 10_000_000);
      for (const ns of c.namespaces) {
        for (const [resource, apiGroup] of types) {
          at += rng.int(50_000, 1_500_000);
          rec.call({ t: at, verb: 'list', user, ip, ua, ref: { resource, namespace: ns, apiGroup, apiVersion: 'v1' }, query: 'limit=500', reason });
        }
      }
      rec.call({ t: at + 1_000_000, verb: 'list', user, ip, ua, ref: { resource: 'secrets', apiVersion: 'v1' }, query: 'limit=500', reason });
    },
  };
}

/** Internet scanners: system:anonymous probing the endpoint, almost always refused. */
export function scanners(env: ActorEnv): Actor {
  const { scale } = env;
  const { rng, rec } = env.spawn('scanners');
  const uas = ['Mozilla/5.0 zgrab/0.x', 'python-requests/2.31.0', 'curl/7.81.0', 'Go-http-client/1.1', 'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)', 'fasthttp'];
  const anon = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
  const probes: { path?: string; ref?: ObjectRef; code: number }[] = [
    { path: '/', code: 403 },
    { path: '/version', code: 200 },
    { path: '/healthz', code: 200 },
    { path: '/.env', code: 403 },
    { path: '/metrics', code: 403 },
    { ref: { resource: 'pods', apiVersion: 'v1' }, code: 403 },
    { ref: { resource: 'secrets', namespace: 'kube-system', apiVersion: 'v1' }, code: 403 },
    { ref: { resource: 'namespaces', apiVersion: 'v1' }, code: 403 },
  ];
  return {
    tick(t0) {
      // Scanning does not follow office hours and does not grow with the cluster.
      for (const t of timesIn(rng, t0, (3 / 60) * Math.min(1, scale * 4))) {
        const ip = publicIP(rng);
        const ua = rng.pick(uas);
        let at = t;
        for (let i = rng.int(1, 4); i > 0; i--) {
          const p = rng.pick(probes);
          const bogusToken = rng.chance(0.15);
          rec.call({ t: at, verb: p.ref ? 'list' : 'get', user: bogusToken ? {} : anon, ip, ua, ref: p.ref, path: p.path, code: bogusToken ? 401 : p.code, reason: p.code === 200 ? crbReason('system:public-info-viewer', 'system:public-info-viewer', 'Group', 'system:unauthenticated') : undefined });
          at += rng.int(50_000, 2_000_000);
        }
      }
    },
  };
}

export const LATEST_SPILL_US = HOUR_US + MINUTE_US;
