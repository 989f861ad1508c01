import type { AuditEvent } from '../../../shared/domain.ts';
import { rule } from '../define.ts';
import { getPath, isControlPlane, isRecord, isWrite, objectName } from '../fields.ts';
import type { Rule } from '../types.ts';
import { target } from './target.ts';

const isRole = (e: AuditEvent): boolean => (e.resource === 'clusterroles' || e.resource === 'roles') && !e.subresource;
const isBinding = (e: AuditEvent): boolean => (e.resource === 'clusterrolebindings' || e.resource === 'rolebindings') && !e.subresource;

function policyRules(e: AuditEvent): Record<string, unknown>[] {
  return getPath(e.requestObject, 'rules[*]').filter(isRecord);
}
const list = (r: Record<string, unknown>, k: string): string[] => getPath(r, k).map(String);

/** Built-in roles that give (nearly) everything when granted across every namespace. */
const CLUSTER_WIDE_POWER = ['admin', 'edit'];

/**
 * Why a binding hands out cluster-admin power, or null. cluster-admin anywhere (in a RoleBinding
 * it is still admin of that namespace, secrets included); admin/edit only cluster-wide, since per
 * namespace they are how teams are normally given their own namespace; the system:masters group
 * bypasses authorization altogether.
 */
function powerfulBinding(e: AuditEvent): string | null {
  const role = getPath(e.requestObject, 'roleRef.name').map(String);
  if (role.includes('cluster-admin')) return 'cluster-admin';
  const wide = e.resource === 'clusterrolebindings' ? role.find((r) => CLUSTER_WIDE_POWER.includes(r)) : undefined;
  if (wide) return `${wide} in every namespace`;
  const masters = getPath(e.requestObject, 'subjects[*]').filter(isRecord).some((s) => s.kind === 'Group' && s.name === 'system:masters');
  return masters ? `${role[0] ?? '?'} with the system:masters group` : null;
}

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection', '*'];
const RBAC_FP = ['Cluster bootstrap and operator installs (Helm charts that ship RBAC).'];

export const rbacRules: Rule[] = [
  rule({
    id: 'GS-T1098-CLUSTER-ADMIN', title: 'Binding grants cluster-admin or its equal', severity: 'high', techniques: ['T1098', 'T1078'],
    description: "A binding grants the cluster-admin role, grants the admin or edit role cluster-wide (a ClusterRoleBinding), or names the system:masters group: full or near-full control of the cluster's objects and secrets.",
    falsePositives: ['Initial cluster setup; break-glass accounts; platform teams granting themselves admin.'],
    fields: ['verb', 'resource', 'requestObject.roleRef.name', 'requestObject.subjects'],
  }, (e) => {
    if (!isBinding(e) || !isWrite(e)) return null;
    const why = powerfulBinding(e);
    if (why === null) return null;
    const who = getPath(e.requestObject, 'subjects[*]').filter(isRecord).map((s) => `${String(s.kind)}:${String(s.name)}`);
    return `${target(e)} binds ${why} to ${who.join(', ') || '?'}`;
  }),
  rule({
    id: 'GS-T1098-WILDCARD-ROLE', title: 'Role with wildcard verbs or resources', severity: 'high', techniques: ['T1098', 'T1078'],
    description: "A Role or ClusterRole grants '*' verbs or '*' resources.",
    falsePositives: RBAC_FP,
    fields: ['verb', 'resource', 'requestObject.rules[*].verbs', 'requestObject.rules[*].resources'],
  }, (e) => {
    if (!isRole(e) || !isWrite(e)) return null;
    const wild = policyRules(e).some((r) => list(r, 'verbs').includes('*') || list(r, 'resources').includes('*'));
    return wild ? `${target(e)} grants wildcard access` : null;
  }),
  rule({
    id: 'GS-T1609-EXEC-ROLE', title: 'Role grants pods/exec', severity: 'medium', techniques: ['T1098', 'T1609'],
    description: 'A Role or ClusterRole lets its holders exec into pods.',
    falsePositives: RBAC_FP,
    fields: ['verb', 'resource', 'requestObject.rules[*].resources'],
  }, (e) => (isRole(e) && isWrite(e) && policyRules(e).some((r) => list(r, 'resources').includes('pods/exec')) ? `${target(e)} grants pods/exec` : null)),
  rule({
    id: 'GS-T1098-WRITE-ROLE', title: 'Role with write privileges created', severity: 'low', techniques: ['T1098'],
    description: 'A Role or ClusterRole grants create/update/patch/delete.',
    falsePositives: RBAC_FP,
    fields: ['verb', 'resource', 'requestObject.rules[*].verbs'],
  }, (e) => (isRole(e) && e.verb === 'create' && policyRules(e).some((r) => list(r, 'verbs').some((v) => WRITE.includes(v))) ? `${target(e)} grants write verbs` : null)),
  rule({
    id: 'GS-T1098-SYSTEM-ROLE', title: 'System role modified or deleted', severity: 'high', techniques: ['T1098', 'T1562'],
    description: "A built-in 'system:' ClusterRole or Role (kube-system's system:controller:* roles) was changed or removed by someone other than the control plane.",
    falsePositives: ['Cluster upgrades run by an administrator account.'],
    fields: ['verb', 'resource', 'name'],
  }, (e) => {
    const name = objectName(e) ?? '';
    if (!isRole(e) || !name.startsWith('system:') || isControlPlane(e.user)) return null;
    return ['update', 'patch', 'delete'].includes(e.verb) ? `${e.verb} ${target(e)}` : null;
  }),
  rule({
    id: 'GS-T1078-IMPERSONATION', title: 'Request made while impersonating', severity: 'medium', techniques: ['T1078'],
    description: 'The caller used Impersonate-User/Group headers to act as another identity.',
    falsePositives: ['Admins testing permissions with kubectl --as; some proxies and dashboards.'],
    fields: ['impersonatedUser', 'impersonatedGroups', 'user'],
  }, (e) => (e.impersonatedUser ? `${e.user} acted as ${e.impersonatedUser}${e.impersonatedGroups.length ? ` (${e.impersonatedGroups.join(', ')})` : ''}` : null)),
  rule({
    id: 'GS-PERSIST-WEBHOOK', title: 'Admission webhook configuration changed', severity: 'high', techniques: ['T1078', 'T1552.007'],
    description: 'A mutating or validating webhook sees (and may rewrite) every matching object, secrets included: a quiet persistence.',
    falsePositives: ['Installs of cert-manager, service meshes, policy engines.'],
    fields: ['resource', 'verb', 'apiGroup'],
  }, (e) => ((e.resource === 'mutatingwebhookconfigurations' || e.resource === 'validatingwebhookconfigurations') && (isWrite(e) || e.verb === 'delete') && !isControlPlane(e.user) ? `${e.verb} ${target(e)}` : null)),
];
