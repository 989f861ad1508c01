import type { AuditEvent } from '../../shared/domain.ts';

// What an actor touched, in the terms a baseline remembers and an analyst reads: which kind of
// target (RBAC, admission, the control plane's namespace…) and which kind of action on it. These
// are statements about Kubernetes, not about any one cluster or simulated attack.

export type ActionClass = 'read' | 'write' | 'delete';

const WRITE = new Set(['create', 'update', 'patch']);
const DELETE = new Set(['delete', 'deletecollection']);

export const actionClass = (verb: string): ActionClass => (DELETE.has(verb) ? 'delete' : WRITE.has(verb) ? 'write' : 'read');

/** Namespaces the control plane owns: a write there changes how the cluster itself runs. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/**
 * Runtime security and policy tools by their usual namespace or workload names. Removing or
 * editing one blinds the defenders (ATT&CK T1562.001), whoever does it.
 */
const SECURITY_TOOLING = /(^|[-_.])(falco|sysdig|datadog|dd-agent|aqua|twistlock|prisma|defender|crowdstrike|falcon|kyverno|gatekeeper|opa|neuvector|tetragon|tracee|wiz|sentinel|qualys|trivy|kube-bench|cilium|calico-node|security|audit|siem|fluent-?bit|fluentd|vector|filebeat|osquery)([-_.]|$)/i;

const RBAC = new Set(['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']);
const ADMISSION = new Set(['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings']);
const API_EXTENSION = new Set(['customresourcedefinitions', 'apiservices']);
const EXEC = new Set(['exec', 'attach', 'portforward', 'ephemeralcontainers', 'proxy']);

/**
 * The sensitive class of what an event touched, or null: writes and deletes to these change who
 * can do what, what runs where, or what gets seen; reads of secrets hand over credentials.
 */
export function sensitiveTarget(e: AuditEvent): string | null {
  const action = actionClass(e.verb);
  const r = e.resource ?? '';
  if (r === 'secrets') return 'secrets';
  if (r === 'pods' && e.subresource && EXEC.has(e.subresource)) return `pods/${e.subresource}`;
  if (r === 'serviceaccounts' && e.subresource === 'token') return 'service-account tokens';
  if (r === 'nodes' && (e.subresource === 'proxy' || action !== 'read')) return 'nodes';
  if (r === 'certificatesigningrequests' && action !== 'read') return 'certificates';
  if (action === 'read') return null;
  if (RBAC.has(r)) return 'RBAC';
  if (ADMISSION.has(r)) return 'admission control';
  if (API_EXTENSION.has(r)) return 'API extensions';
  if (SECURITY_TOOLING.test(e.namespace ?? '') || SECURITY_TOOLING.test(e.name ?? '') || (r === 'namespaces' && SECURITY_TOOLING.test(e.name ?? ''))) return 'security tooling';
  if (e.namespace && SYSTEM_NAMESPACES.has(e.namespace)) return e.namespace;
  if (r === 'namespaces' && action === 'delete') return 'namespaces';
  return null;
}

/** A user agent's product (`kubectl`, `Go-http-client`, `python-requests`): versions change on every upgrade, products rarely do. */
export function agentProduct(ua: string | null): string | null {
  if (!ua) return null;
  const m = /^[^/\s(]+/.exec(ua.trim());
  return m ? m[0].toLowerCase() : null;
}

/** `get secrets`, `create pods/exec`: the verb on the resource an event used. */
export const actionOf = (e: AuditEvent): string | null => (e.resource ? `${e.verb} ${e.subresource ? `${e.resource}/${e.subresource}` : e.resource}` : null);

/**
 * The address a baseline remembers. Private IPv4 addresses are kept as their /24: pods get a new
 * address on every restart from their node's range, so a workload's "new IP" inside a known
 * range says nothing, while a public address (or a range never used) does.
 */
export function sourceKey(ip: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  if (!m) return ip;
  const [a, b] = [Number(m[1]), Number(m[2])];
  const priv = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  return priv ? `${m[1]}.${m[2]}.${m[3]}.0/24` : ip;
}

/** Private, loopback or link-local: an address inside the cluster's or the company's networks. */
export function isPrivateAddress(ip: string): boolean {
  return sourceKey(ip) !== ip || /^(127\.|169\.254\.|::1$|f[cd][0-9a-f]{2}:|fe80:)/i.test(ip);
}
