import type { AuditEvent, IncidentLink } from '../../shared/domain.ts';
import { getPath, isRecord, isWrite, objectName } from '../rules/fields.ts';
import { isAttempt } from '../rules/outcome.ts';
import { outcomeOf } from '../events/outcome.ts';

// How one identity hands power to another inside a case: the joins that turn two actors' episodes
// into one incident. Each is read from a single event that did happen (a refused request hands
// nothing over), and names the identity that received the power as Kubernetes will later log it.

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

const saUser = (ns: string, name: string): string => `system:serviceaccount:${ns}:${name}`;

/** A link an event creates, before it is known whether the receiving identity acted. */
export interface LinkEvent {
  kind: IncidentLink['kind'];
  from: string;
  to: string;
  auditID: string;
  timeUs: number;
}

/** The identity-handing links one event makes: minted tokens, created or granted accounts, impersonation. */
export function linksOf(e: AuditEvent): LinkEvent[] {
  if (isAttempt(outcomeOf(e))) return [];
  const out: LinkEvent[] = [];
  const at = { auditID: e.auditID, timeUs: e.timeUs };
  if (e.impersonatedUser && e.impersonatedUser !== e.user) out.push({ kind: 'impersonation', from: e.user, to: e.impersonatedUser, ...at });
  const from = e.impersonatedUser ?? e.user;
  if (e.verb === 'create' && e.resource === 'serviceaccounts' && e.namespace) {
    const name = e.subresource === 'token' ? e.name : objectName(e);
    if (name) out.push({ kind: e.subresource === 'token' ? 'minted-token' : 'created-identity', from, to: saUser(e.namespace, name), ...at });
  }
  // A legacy token Secret: minted for the account named in its annotation.
  if (e.verb === 'create' && e.resource === 'secrets' && e.namespace && str(getPath(e.requestObject, 'type')[0]) === 'kubernetes.io/service-account-token') {
    const sa = str(getPath(e.requestObject, 'metadata.annotations').find(isRecord)?.['kubernetes.io/service-account.name']);
    if (sa) out.push({ kind: 'minted-token', from, to: saUser(e.namespace, sa), ...at });
  }
  if (isWrite(e) && (e.resource === 'rolebindings' || e.resource === 'clusterrolebindings')) {
    for (const o of getPath(e.requestObject, 'subjects[*]').filter(isRecord)) {
      const name = str(o.name);
      if (!name) continue;
      const kind = str(o.kind);
      if (kind === 'ServiceAccount') {
        const ns = str(o.namespace) ?? e.namespace;
        if (ns) out.push({ kind: 'granted-identity', from, to: saUser(ns, name), ...at });
      } else if (kind === 'User') out.push({ kind: 'granted-identity', from, to: name, ...at });
    }
  }
  return out.filter((l) => l.to !== from);
}

export function linkText(l: LinkEvent): string {
  switch (l.kind) {
    case 'impersonation':
      return `${l.from} acted as ${l.to} (impersonation)`;
    case 'minted-token':
      return `${l.from} minted a token for ${l.to}, which then acted`;
    case 'created-identity':
      return `${l.from} created the service account ${l.to}, which then acted`;
    case 'granted-identity':
      return `${l.from} granted a role to ${l.to}, which then acted`;
    case 'shared-ip':
      return `${l.from} and ${l.to} used the same source address`;
  }
}
