import type { AuditEvent } from '../../../shared/domain.ts';
import { containers, getPath, podSpecs } from '../fields.ts';

/**
 * Sigma's kubernetes/audit field names (the raw audit.k8s.io Event paths) mapped onto the
 * normalized AuditEvent. `get` returns every value the field has (a field can be multi-valued:
 * sourceIPs, groups, hostPath over several volumes); `set` writes a value into a draft event,
 * which is how `exampleEvent` builds an event a rule was written for. docs/rules.md prints this
 * table.
 */
export interface SigmaField {
  event: string;
  get(e: AuditEvent): unknown[];
  set?(e: AuditEvent, v: unknown): void;
}

const one = (v: unknown): unknown[] => (v === null || v === undefined ? [] : [v]);
const str = (v: unknown): string => String(v);

function scalar<K extends keyof AuditEvent>(key: K, conv: (v: unknown) => AuditEvent[K]): SigmaField {
  return { event: key, get: (e) => one(e[key]), set: (e, v) => void (e[key] = conv(v)) };
}
function list(key: 'sourceIPs' | 'groups' | 'impersonatedGroups'): SigmaField {
  return { event: key, get: (e) => e[key], set: (e, v) => void e[key].push(str(v)) };
}

/** Draft pod body for fields that live inside a pod spec. */
function podBody(e: AuditEvent): Record<string, unknown> {
  if (e.requestObject === null || typeof e.requestObject !== 'object') e.requestObject = { kind: 'Pod', spec: { containers: [{ name: 'c' }] } };
  return e.requestObject as Record<string, unknown>;
}
function podSpec(e: AuditEvent): { containers: Record<string, unknown>[]; volumes?: unknown[] } {
  const body = podBody(e);
  return (body.spec ??= { containers: [{ name: 'c' }] }) as { containers: Record<string, unknown>[] };
}

const code = (v: unknown): number | null => (Number.isFinite(Number(v)) ? Number(v) : null);

export const SIGMA_FIELDS: Record<string, SigmaField> = {
  verb: scalar('verb', str),
  'objectRef.resource': scalar('resource', str),
  'objectRef.subresource': scalar('subresource', str),
  'objectRef.namespace': scalar('namespace', str),
  'objectRef.name': scalar('name', str),
  'objectRef.apiGroup': scalar('apiGroup', str),
  // Several SigmaHQ rules write the bare `apiGroup`; it can only mean the object's group.
  apiGroup: scalar('apiGroup', str),
  'objectRef.apiVersion': scalar('apiVersion', str),
  'user.username': scalar('user', str),
  'user.groups': list('groups'),
  'user.uid': scalar('uid', str),
  'impersonatedUser.username': scalar('impersonatedUser', str),
  'impersonatedUser.groups': list('impersonatedGroups'),
  sourceIPs: list('sourceIPs'),
  userAgent: scalar('userAgent', str),
  requestURI: scalar('requestURI', str),
  auditID: scalar('auditID', str),
  stage: scalar('stage', str),
  level: scalar('level', str),
  'responseStatus.code': {
    // Also yields the authorization decision: SigmaHQ rule 597a7e84 compares this field with
    // 'ALLOW', which only the decision annotation ever holds. Numbers and words never collide.
    event: 'responseCode (+ decision annotation)',
    get: (e) => [...one(e.responseCode), ...one(e.decision)],
    set: (e, v) => {
      const c = code(v);
      if (c !== null) e.responseCode = c;
      else e.decision = str(v).toLowerCase();
    },
  },
  hostPath: {
    event: 'requestObject pod spec volumes[*].hostPath.path',
    get: (e) => podSpecs(e).flatMap((s) => getPath(s, 'volumes[*].hostPath.path')),
    set: (e, v) => {
      const spec = podSpec(e);
      (spec.volumes ??= []).push({ name: 'host', hostPath: { path: str(v) === '*' ? '/' : str(v) } });
    },
  },
  capabilities: {
    event: 'requestObject pod spec containers[*].securityContext.capabilities.add',
    get: (e) => podSpecs(e).flatMap(containers).flatMap((c) => getPath(c, 'securityContext.capabilities.add')),
    set: (e, v) => {
      const c = podSpec(e).containers[0];
      c.securityContext = { capabilities: { add: [str(v) === '*' ? 'SYS_ADMIN' : str(v)] } };
    },
  },
};

/** `annotations.X`, `requestObject.a.b`, `responseObject.a.b` reach into the event directly. */
export function sigmaField(name: string): SigmaField | null {
  const known = SIGMA_FIELDS[name];
  if (known) return known;
  const m = /^(annotations|requestObject|responseObject)\.(.+)$/.exec(name);
  if (!m) return null;
  const [, root, rest] = m;
  if (root === 'annotations') {
    return { event: `annotations['${rest}']`, get: (e) => one(e.annotations[rest]), set: (e, v) => void (e.annotations[rest] = str(v)) };
  }
  return {
    event: name,
    get: (e) => getPath(root === 'requestObject' ? e.requestObject : e.responseObject, rest),
  };
}
