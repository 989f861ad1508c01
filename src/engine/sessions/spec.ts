import type { AuditEvent } from '../../shared/domain.ts';

// What an actor's writes put into the cluster, read from the request body: the images a workload
// runs and the subjects and roles an RBAC object grants. These are the parts of a request that
// say most about intent (a registry nobody used, a grant to a new account) and that the URI
// alone never shows.

const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** The pod spec inside a Pod, a workload template, a Job template or a CronJob's job template. */
function podSpecOf(body: Record<string, unknown>): Record<string, unknown> | null {
  const spec = obj(body.spec);
  if (!spec) return null;
  if (spec.containers !== undefined) return spec;
  const tmpl = obj(obj(spec.template)?.spec);
  if (tmpl) return tmpl;
  return obj(obj(obj(obj(spec.jobTemplate)?.spec)?.template)?.spec);
}

/** Images named by the request body of a pod or workload write (containers, init and ephemeral). */
export function imagesOf(e: AuditEvent): string[] {
  const body = obj(e.requestObject);
  if (!body) return [];
  const pod = podSpecOf(body) ?? (e.subresource === 'ephemeralcontainers' ? obj(body.spec) : null);
  if (!pod) return [];
  const out = new Set<string>();
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of arr(pod[key])) {
      const image = str(obj(c)?.image);
      if (image) out.add(image);
    }
  }
  return [...out];
}

/**
 * The registry an image is pulled from, as the container runtime resolves it: the first path
 * part when it looks like a host (has a dot or a port, or is localhost), else Docker Hub.
 */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.toLowerCase() : 'docker.io';
}

const RBAC_BINDINGS = new Set(['rolebindings', 'clusterrolebindings']);

/** Subjects granted by a (Cluster)RoleBinding write, as `Kind:namespace/name` (`Kind:name` when cluster-wide). */
export function subjectsOf(e: AuditEvent): string[] {
  if (!e.resource || !RBAC_BINDINGS.has(e.resource)) return [];
  const body = obj(e.requestObject);
  if (!body) return [];
  return arr(body.subjects).flatMap((s) => {
    const o = obj(s);
    const name = str(o?.name);
    if (!o || !name) return [];
    const ns = str(o.namespace);
    return [`${str(o.kind) ?? 'Subject'}:${ns ? `${ns}/` : ''}${name}`];
  });
}

/** The role a binding grants (`ClusterRole:cluster-admin`), or the role a Role/ClusterRole write defines. */
export function rolesOf(e: AuditEvent): string[] {
  const body = obj(e.requestObject);
  if (e.resource && RBAC_BINDINGS.has(e.resource)) {
    const ref = obj(body?.roleRef);
    const name = str(ref?.name);
    return name ? [`${str(ref?.kind) ?? 'Role'}:${name}`] : [];
  }
  if (e.resource === 'roles' || e.resource === 'clusterroles') {
    const name = e.name ?? str(obj(body?.metadata)?.name);
    return name ? [`${e.resource === 'roles' ? 'Role' : 'ClusterRole'}:${name}`] : [];
  }
  return [];
}

/** The identity an event acts as: the impersonated user when there is one (the impersonator is kept apart). */
export const actingUser = (e: AuditEvent): string => e.impersonatedUser ?? e.user;
