import type { AuditEvent } from '../../shared/domain.ts';
import { containers, getPath, isRecord, objectName, podSpecs } from '../rules/fields.ts';

// What an actor's writes put into the cluster, read from the request body: the images a workload
// runs and the subjects and roles an RBAC object grants. These are the parts of a request that
// say most about intent (a registry nobody used, a grant to a new account) and that the URI
// alone never shows. The body is read with the rule engine's field helpers.

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** Images named by the request body of a pod or workload write (containers, init and ephemeral). */
export function imagesOf(e: AuditEvent): string[] {
  // An ephemeral-container update carries the Pod whose spec gains the debug container.
  const specs = e.subresource === 'ephemeralcontainers' ? getPath(e.requestObject, 'spec').filter(isRecord) : podSpecs(e);
  return [...new Set(specs.flatMap(containers).flatMap((c) => str(c.image) ?? []))];
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
  return getPath(e.requestObject, 'subjects[*]')
    .filter(isRecord)
    .flatMap((s) => {
      const name = str(s.name);
      if (!name) return [];
      const ns = str(s.namespace);
      return [`${str(s.kind) ?? 'Subject'}:${ns ? `${ns}/` : ''}${name}`];
    });
}

/** The role a binding grants (`ClusterRole:cluster-admin`), or the role a Role/ClusterRole write defines. */
export function rolesOf(e: AuditEvent): string[] {
  if (e.resource && RBAC_BINDINGS.has(e.resource)) {
    const ref = getPath(e.requestObject, 'roleRef').find(isRecord);
    const name = str(ref?.name);
    return name ? [`${str(ref?.kind) ?? 'Role'}:${name}`] : [];
  }
  if (e.resource === 'roles' || e.resource === 'clusterroles') {
    const name = objectName(e);
    return name ? [`${e.resource === 'roles' ? 'Role' : 'ClusterRole'}:${name}`] : [];
  }
  return [];
}

/** The identity an event acts as: the impersonated user when there is one (the impersonator is kept apart). */
export const actingUser = (e: AuditEvent): string => e.impersonatedUser ?? e.user;
