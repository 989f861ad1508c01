import type { AuditEvent } from '../../../shared/domain.ts';
import { actorKey, rule, thresholdRule } from '../define.ts';
import { containers, getPath, isControlPlane, objectName, podSpecs } from '../fields.ts';
import { outcomeOf } from '../outcome.ts';
import type { Rule } from '../types.ts';
import { target } from './target.ts';

const MINUTE_US = 60_000_000;
const KUBE_NAMESPACES = ['kube-system', 'kube-public'];
/** Registries Kubernetes distributions pull control-plane and add-on images from. */
export const SYSTEM_REGISTRIES = [
  'registry.k8s.io/', 'k8s.gcr.io/', 'gke.gcr.io/', 'gcr.io/google-containers/', 'gcr.io/gke-release/', 'gcr.io/projectcalico-org/',
  'mcr.microsoft.com/oss/kubernetes', 'mcr.microsoft.com/aks/', 'public.ecr.aws/eks', 'quay.io/calico/', 'docker.io/calico/', 'calico/',
  'quay.io/cilium/', 'quay.io/coreos/', 'quay.io/tigera/',
];
const HEALTH = /^\/(healthz|livez|readyz|version)(\/|\?|$)/;

const anonymous = (e: AuditEvent): boolean => e.user === 'system:anonymous' || e.groups.includes('system:unauthenticated');

/** Edit distance, capped: only "is it within 2" matters, so stop early past that. */
function nearby(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...cur) > 2) return false;
    prev = cur;
  }
  return prev[b.length] <= 2;
}

export const clusterRules: Rule[] = [
  rule({
    id: 'GS-T1078.001-ANONYMOUS', title: 'Anonymous request allowed', severity: 'high', techniques: ['T1078.001'],
    description: 'An unauthenticated request succeeded on something other than a health endpoint: anonymous access is enabled and bound.',
    falsePositives: ['Public discovery endpoints some distributions expose on purpose.'],
    fields: ['user', 'groups', 'responseCode', 'decision', 'requestURI'],
    // A refused anonymous request is the normal answer, and the burst rules count those.
    attempts: 'skip',
  }, (e) => (anonymous(e) && (e.decision === 'allow' || outcomeOf(e) === 'success') && !HEALTH.test(e.requestURI) ? `anonymous ${e.verb} ${e.requestURI}` : null)),
  rule({
    id: 'GS-T1613-ACCESS-REVIEW', title: 'Permissions self-check', severity: 'low', techniques: ['T1613', 'T1069'],
    description: 'SelfSubjectAccessReview/RulesReview: "what can I do?" (kubectl auth can-i), typical right after credential theft.',
    falsePositives: ['kubectl auth can-i by administrators; UIs that hide buttons by permission.'],
    fields: ['resource', 'verb'],
  }, (e) => ((e.resource === 'selfsubjectaccessreviews' || e.resource === 'selfsubjectrulesreviews') && e.verb === 'create' && !isControlPlane(e.user) ? `${e.user} checked own permissions (${e.resource})` : null)),
  thresholdRule({
    id: 'GS-T1613-FORBIDDEN-BURST', title: 'Many forbidden requests from one actor', severity: 'high', techniques: ['T1613', 'T1078'],
    description: 'Ten or more 401/403 answers (or forbid decisions) to one user and source IP within a minute: permission probing with stolen credentials.',
    falsePositives: ['A misconfigured controller retrying a call it lacks rights for.'],
    fields: ['responseCode', 'decision', 'user', 'sourceIPs', 'timeUs'],
    attempts: 'as-is',
  }, {
    windowUs: MINUTE_US, threshold: 10,
    key: (e) => (outcomeOf(e) === 'denied' ? actorKey(e) : null),
    describe: (k, n) => `${n} refused requests from ${k} within a minute`,
  }),
  thresholdRule({
    id: 'GS-T1613-DISCOVERY-BURST', title: 'Discovery burst', severity: 'medium', techniques: ['T1613'],
    description: 'One actor listed or read 15 or more distinct resource types within a minute, allowed or refused: enumeration of the cluster.',
    falsePositives: ['kubectl api-resources / cluster dumps by admins; backup tools; controllers starting up (control plane excluded).'],
    fields: ['verb', 'resource', 'user', 'sourceIPs', 'timeUs'],
    // Refused reads count: enumerating what a stolen token may read is discovery too.
    attempts: 'as-is',
  }, {
    windowUs: MINUTE_US, threshold: 15,
    key: (e) => ((e.verb === 'list' || e.verb === 'get' || e.verb === 'watch') && e.resource && !isControlPlane(e.user) ? actorKey(e) : null),
    distinct: (e) => e.resource,
    describe: (k, n) => `${k} read ${n} distinct resource types within a minute`,
  }),
  rule({
    id: 'GS-T1070-EVENTS-DELETE', title: 'Kubernetes events deleted', severity: 'medium', techniques: ['T1070'],
    description: 'Deleting Event objects removes the trail of what happened to pods and nodes.',
    falsePositives: ['Event TTL cleanup is done by the API server, not through delete calls; manual cleanup is rare.'],
    fields: ['resource', 'verb', 'apiGroup'],
  }, (e) => (e.resource === 'events' && (e.verb === 'delete' || e.verb === 'deletecollection') && !isControlPlane(e.user) ? `${e.verb} ${target(e)}` : null)),
  rule({
    id: 'GS-T1485-DELETECOLLECTION', title: 'Bulk delete (deletecollection)', severity: 'high', techniques: ['T1485'],
    description: 'One call deleted every object of a kind in a namespace.',
    falsePositives: ['Namespace finalization by the namespace controller (control plane excluded); test teardown.'],
    fields: ['verb', 'resource', 'namespace'],
  }, (e) => (e.verb === 'deletecollection' && !isControlPlane(e.user) ? `deletecollection ${e.resource ?? '?'} in ${e.namespace ?? 'all namespaces'}` : null)),
  rule({
    id: 'GS-T1485-NAMESPACE-DELETE', title: 'Namespace deleted', severity: 'medium', techniques: ['T1485'],
    description: 'Deleting a namespace destroys everything in it.',
    falsePositives: ['Environment teardown by CI.'],
    fields: ['verb', 'resource', 'name'],
  }, (e) => (e.resource === 'namespaces' && e.verb === 'delete' && !e.subresource ? `${e.user} delete namespace ${objectName(e) ?? '?'}` : null)),
  rule({
    id: 'GS-PORTFORWARD', title: 'Port-forward to a pod', severity: 'medium', techniques: ['T1572'],
    description: 'A tunnel from the caller into a pod port, bypassing services and network policy.',
    falsePositives: ['Developers reaching databases and dashboards with kubectl port-forward.'],
    fields: ['resource', 'subresource'],
  }, (e) => (e.resource === 'pods' && e.subresource === 'portforward' ? `port-forward to ${target(e)}` : null)),
  rule({
    id: 'GS-NODE-PROXY', title: 'Kubelet API reached through nodes/proxy', severity: 'high', techniques: ['T1609', 'T1613'],
    description: "nodes/proxy gives the kubelet API (exec, logs, pods) and bypasses the API server's audit of what is done there.",
    falsePositives: ['Metrics scrapers (Prometheus) using nodes/proxy for cAdvisor metrics.'],
    fields: ['resource', 'subresource', 'requestURI'],
  }, (e) => (e.resource === 'nodes' && e.subresource === 'proxy' && !isControlPlane(e.user) ? `${e.user} → ${e.requestURI}` : null)),
  rule({
    id: 'GS-T1133-NODEPORT', title: 'NodePort service created', severity: 'medium', techniques: ['T1133'],
    description: "A NodePort service exposes a pod on every node's address.",
    falsePositives: ['Bare-metal clusters without load balancers.'],
    fields: ['resource', 'verb', 'requestObject.spec.type'],
  }, (e) => (e.resource === 'services' && (e.verb === 'create' || e.verb === 'update' || e.verb === 'patch') && getPath(e.requestObject, 'spec.type').includes('NodePort') ? `NodePort ${target(e)}` : null)),
  rule({
    id: 'GS-T1610-KUBE-NS-POD', title: 'Unexpected pod in a kube namespace', severity: 'medium', techniques: ['T1610', 'T1036.005'],
    description: 'A pod in kube-system or kube-public created by a person, or running an image from outside the registries cluster components ship from: blends in with the control plane.',
    falsePositives: ['Add-ons installed into kube-system from their own registries (extend SYSTEM_REGISTRIES).'],
    fields: ['resource', 'verb', 'namespace', 'user', 'requestObject.spec.containers[*].image'],
  }, (e) => {
    if (e.resource !== 'pods' || e.subresource || e.verb !== 'create' || !KUBE_NAMESPACES.includes(e.namespace ?? '')) return null;
    if (!isControlPlane(e.user)) return `${e.user} create ${target(e)}`;
    // Controllers create pods here all day; what gives an attacker's workload away is its image.
    const odd = podSpecs(e).flatMap(containers).map((c) => String(c.image ?? '')).filter((i) => !SYSTEM_REGISTRIES.some((r) => i.startsWith(r)));
    return odd.length > 0 ? `${target(e)} runs ${odd.join(', ')}` : null;
  }),
  rule({
    id: 'GS-T1136-KUBE-NS-SA', title: 'Service account created in a kube namespace', severity: 'medium', techniques: ['T1136', 'T1078'],
    description: 'A new identity in kube-system or kube-public, where it is easy to miss.',
    falsePositives: ['Add-on installs into kube-system.'],
    fields: ['resource', 'verb', 'namespace', 'user'],
  }, (e) => (e.resource === 'serviceaccounts' && !e.subresource && e.verb === 'create' && KUBE_NAMESPACES.includes(e.namespace ?? '') && !isControlPlane(e.user) ? `${e.user} create ${target(e)}` : null)),
  rule({
    id: 'GS-T1036.005-NAMESPACE', title: 'Namespace named like a system namespace', severity: 'medium', techniques: ['T1036.005'],
    description: 'A namespace one or two letters away from kube-system/kube-public/default (kube-systen, kube-sytem…).',
    falsePositives: ['None expected: names this close are rarely accidental.'],
    fields: ['resource', 'verb', 'name'],
  }, (e) => {
    if (e.resource !== 'namespaces' || e.verb !== 'create') return null;
    const name = objectName(e) ?? '';
    const like = [...KUBE_NAMESPACES, 'default', 'kube-node-lease'].find((n) => n !== name && nearby(name, n));
    return like ? `namespace ${name} looks like ${like}` : null;
  }),
];
