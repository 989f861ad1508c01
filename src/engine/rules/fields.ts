import type { AuditEvent } from '../../shared/domain.ts';

/**
 * Values reached by a dotted path into a JSON value. `[*]` fans out over an array, `[n]` picks
 * one element, and a segment that lands on an array fans out implicitly (so
 * `spec.containers.image` works as Falco's `ka.req.pod.containers.image` does). Missing steps
 * yield nothing rather than undefined, so "any value equals" reads naturally.
 *
 *   getPath(pod, 'spec.containers[*].securityContext.privileged') → [true, false]
 */
export function getPath(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const seg of parsePath(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg === '*') {
        if (Array.isArray(v)) next.push(...v);
      } else if (typeof seg === 'number') {
        if (Array.isArray(v) && seg < v.length) next.push(v[seg]);
      } else {
        for (const item of Array.isArray(v) ? v : [v]) {
          if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.hasOwn(item, seg)) {
            next.push((item as Record<string, unknown>)[seg]);
          }
        }
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

const pathCache = new Map<string, (string | number)[]>();

function parsePath(path: string): (string | number)[] {
  const hit = pathCache.get(path);
  if (hit) return hit;
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[(?:\*|\d+)\])*)$/.exec(part);
    if (!m) throw new Error(`bad field path segment '${part}' in '${path}'`);
    if (m[1]) out.push(m[1]);
    for (const b of m[2].matchAll(/\[(\*|\d+)\]/g)) out.push(b[1] === '*' ? '*' : Number(b[1]));
  }
  pathCache.set(path, out);
  return out;
}

const TEMPLATE_OWNERS = new Set(['deployments', 'daemonsets', 'statefulsets', 'replicasets', 'jobs', 'replicationcontrollers']);

/**
 * The pod specs an event's request carries: a Pod's own spec, a workload's pod template, or a
 * CronJob's job template. Patches are partial objects, so these may be fragments.
 */
export function podSpecs(e: AuditEvent): Record<string, unknown>[] {
  const obj = e.requestObject;
  if (obj === null || typeof obj !== 'object' || e.subresource) return [];
  let paths: string[];
  if (e.resource === 'pods') paths = ['spec'];
  else if (e.resource && TEMPLATE_OWNERS.has(e.resource)) paths = ['spec.template.spec'];
  else if (e.resource === 'cronjobs') paths = ['spec.jobTemplate.spec.template.spec'];
  else if (e.resource === 'podtemplates') paths = ['template.spec'];
  else return [];
  return paths.flatMap((p) => getPath(obj, p)).filter(isRecord);
}

/** Every container of a pod spec, init and ephemeral ones included. */
export function containers(spec: Record<string, unknown>): Record<string, unknown>[] {
  return ['containers', 'initContainers', 'ephemeralContainers'].flatMap((k) => getPath(spec, `${k}[*]`)).filter(isRecord);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The object's name: objectRef.name, else the request or response body's metadata.name. */
export function objectName(e: AuditEvent): string | null {
  if (e.name) return e.name;
  for (const body of [e.requestObject, e.responseObject]) {
    const n = getPath(body, 'metadata.name')[0];
    if (typeof n === 'string') return n;
  }
  return null;
}

const WRITE_VERBS = new Set(['create', 'update', 'patch']);
export const isWrite = (e: AuditEvent): boolean => WRITE_VERBS.has(e.verb);

/**
 * Control-plane identities whose routine work (controllers creating pods, kubelets minting
 * tokens) would otherwise bury the pack in noise. A stolen workload token is
 * system:serviceaccount:<ns>:<name> outside kube-system and stays in scope.
 */
export function isControlPlane(user: string): boolean {
  return (
    user.startsWith('system:serviceaccount:kube-system:') ||
    user.startsWith('system:node:') ||
    user === 'system:kube-controller-manager' ||
    user === 'system:kube-scheduler' ||
    user === 'system:apiserver' ||
    user === 'system:kube-proxy'
  );
}
