/**
 * The peer group an identity is judged against when its own past says nothing (its first
 * session) and to tell "new for this actor" from "new for anyone like it".
 * people: human users (OIDC, certificates, cloud IAM); nodes: kubelets; controllers: the control
 * plane's own identities and kube-system's service accounts; service-accounts:<ns>: the workloads
 * of one namespace; anonymous: unauthenticated requests.
 */
export function peerGroupOf(user: string): string {
  if (user === '' || user === 'system:anonymous') return 'anonymous';
  if (user.startsWith('system:node:')) return 'nodes';
  const sa = /^system:serviceaccount:([^:]+):/.exec(user);
  if (sa) return sa[1] === 'kube-system' ? 'controllers' : `service-accounts:${sa[1]}`;
  if (user.startsWith('system:')) return 'controllers';
  return 'people';
}

/** The wider group a namespace's service accounts fall back to when the namespace has no other. */
export function widerPeerGroup(group: string): string | null {
  return group.startsWith('service-accounts:') ? 'service-accounts' : null;
}

/** A readable name for a peer group in reasons. */
export function peerGroupLabel(group: string): string {
  if (group.startsWith('service-accounts:')) return `service accounts of namespace ${group.slice('service-accounts:'.length)}`;
  if (group === 'service-accounts') return 'service accounts';
  return group;
}
