import type { AuditEvent, Severity } from '../../../shared/domain.ts';
import { rule } from '../define.ts';
import { containers, getPath, isControlPlane, isWrite, objectName, podSpecs } from '../fields.ts';
import type { Rule } from '../types.ts';
import { target } from './target.ts';

const podWrite = (e: AuditEvent): boolean => (e.verb === 'create' || e.verb === 'update' || e.verb === 'patch') && podSpecs(e).length > 0;

/** Names of containers in the event's pod specs for which `pred` holds. */
function containersWhere(e: AuditEvent, pred: (c: Record<string, unknown>) => boolean): string[] {
  return podSpecs(e).flatMap(containers).filter(pred).map((c) => String(c.name ?? '?'));
}

const privileged = (c: Record<string, unknown>): boolean => getPath(c, 'securityContext.privileged').includes(true);

/** Falco's sensitive_mounts list plus the container runtimes' sockets and the kubelet's state. */
export const SENSITIVE_HOST_PATHS = [
  '/', '/etc', '/proc', '/root', '/home/admin', '/var/run/docker.sock', '/run/docker.sock',
  '/var/run/crio/crio.sock', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock',
  '/var/lib/kubelet', '/var/lib/kubelet/pki', '/etc/kubernetes', '/etc/kubernetes/manifests', '/var/lib/etcd', '/dev',
];

const DANGEROUS_CAPS = new Set(['ALL', 'SYS_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'NET_ADMIN', 'DAC_READ_SEARCH', 'SYS_RAWIO', 'BPF']);

function hostPaths(e: AuditEvent): string[] {
  return podSpecs(e).flatMap((s) => getPath(s, 'volumes[*].hostPath.path')).filter((p): p is string => typeof p === 'string');
}

const normPath = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') : p);

function specFlag(flag: 'hostPID' | 'hostNetwork' | 'hostIPC') {
  return (e: AuditEvent): string | null =>
    podWrite(e) && podSpecs(e).some((s) => s[flag] === true) ? `${flag}: true in ${target(e)}` : null;
}

const TEMPLATE_FP = 'Node agents (CNI, log shippers, monitoring DaemonSets) legitimately need host access; check the image and the actor.';
const CONTROLLER_POD_FP = 'Pods a kube-system controller (daemon-set-controller, replicaset-controller, job-controller…) creates from a workload template are reported at info: the template fired this rule, on its creator, when the workload was written.';
const POD_FPS = [TEMPLATE_FP, CONTROLLER_POD_FP];

const KUBE_SYSTEM_CONTROLLER = /^system:serviceaccount:kube-system:[a-z0-9-]+-controller$/;

/**
 * Pods stamped out of a template by kube-system's controllers repeat, once per node or replica,
 * a finding already raised on whoever wrote the workload, and blame the controller for it. They
 * still hit (Falco flags them too, and the pod is evidence) but at info, so they neither rank nor
 * hide the workload's creator.
 */
const templatedPod = (e: AuditEvent): Severity | null => (e.resource === 'pods' && KUBE_SYSTEM_CONTROLLER.test(e.user) ? 'info' : null);
const POD_FIELDS = ['verb', 'resource', 'requestObject.spec (pods)', 'requestObject.spec.template.spec (workloads)', 'requestObject.spec.jobTemplate.spec.template.spec (cronjobs)'];

/** Component names an attacker borrows to hide a workload (T1036.005). */
const SYSTEM_NAMES = ['kube-proxy', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'coredns', 'kube-dns', 'calico-node', 'aws-node', 'metrics-server', 'cilium', 'konnectivity-agent'];

export const workloadRules: Rule[] = [
  rule({
    id: 'GS-T1610-EPHEMERAL', title: 'Ephemeral container added to a pod', severity: 'high', techniques: ['T1610'],
    description: 'kubectl debug style ephemeral container: new code runs inside an existing pod, sharing its namespaces.',
    falsePositives: ['Sanctioned debugging with kubectl debug.'],
    fields: ['resource', 'subresource', 'verb'],
  }, (e) => (e.resource === 'pods' && e.subresource === 'ephemeralcontainers' && isWrite(e) ? `ephemeral container on ${target(e)}` : null)),
  rule({
    id: 'GS-T1610-SIDECAR', title: 'Containers changed by a patch to a workload', severity: 'medium', techniques: ['T1610'],
    description: "A patch or update rewrote a workload's container list (sidecar injection).",
    falsePositives: ['Deployments by CI/CD (image bumps also rewrite containers); service-mesh injectors.'],
    fields: ['verb', 'resource', 'requestObject.spec.template.spec.containers'],
  }, (e) => {
    if (e.verb !== 'patch' || e.resource === 'pods' || isControlPlane(e.user)) return null;
    const names = podSpecs(e).flatMap((s) => getPath(s, 'containers[*].name'));
    return names.length > 0 ? `containers [${names.join(', ')}] patched into ${target(e)}` : null;
  }),
  rule({
    id: 'GS-T1610-DIRECT-POD', title: 'Pod created directly by a person', severity: 'low', techniques: ['T1610'],
    description: 'A pod created by an identity other than a controller: workloads normally come from Deployments and Jobs.',
    falsePositives: ['kubectl run for debugging; operators that create bare pods.'],
    fields: ['verb', 'resource', 'subresource', 'user'],
  }, (e) => (e.resource === 'pods' && !e.subresource && e.verb === 'create' && !isControlPlane(e.user) && !e.user.startsWith('system:serviceaccount:') ? `${e.user} create ${target(e)}` : null)),
  rule({
    id: 'GS-T1610-DAEMONSET', title: 'DaemonSet created', severity: 'medium', techniques: ['T1610', 'T1543.005'],
    description: 'A DaemonSet runs its pod on every node, new nodes included: one call puts code on the whole cluster and keeps it there.',
    falsePositives: ['Installs of node agents (CNI, log shippers, monitoring, security sensors) by administrators or CI.'],
    fields: ['verb', 'resource', 'subresource', 'user', 'requestObject.spec.template.spec.containers[*].image'],
  }, (e) => {
    if (e.resource !== 'daemonsets' || e.subresource || e.verb !== 'create' || isControlPlane(e.user)) return null;
    const images = podSpecs(e).flatMap(containers).map((c) => c.image).filter((i): i is string => typeof i === 'string');
    return `${e.user} create ${target(e)}${images.length > 0 ? ` running ${[...new Set(images)].join(', ')}` : ''}`;
  }),
  rule({
    id: 'GS-T1611-PRIVILEGED', title: 'Privileged container', severity: 'high', techniques: ['T1611'],
    description: 'A pod or pod template asks for a privileged container, which can take over its node.',
    falsePositives: POD_FPS,
    fields: [...POD_FIELDS, 'containers[*].securityContext.privileged'],
  }, (e) => {
    if (!podWrite(e)) return null;
    const names = containersWhere(e, privileged);
    return names.length > 0 ? `privileged container(s) ${names.join(', ')} in ${target(e)}` : null;
  }, templatedPod),
  rule({
    id: 'GS-T1611-HOSTPID', title: 'Pod shares the host PID namespace', severity: 'high', techniques: ['T1611'],
    description: 'hostPID lets the pod see and signal every process on the node.',
    falsePositives: POD_FPS, fields: [...POD_FIELDS, 'spec.hostPID'],
  }, specFlag('hostPID'), templatedPod),
  rule({
    id: 'GS-T1611-HOSTNETWORK', title: 'Pod uses the host network', severity: 'medium', techniques: ['T1611'],
    description: "hostNetwork puts the pod on the node's interfaces, reaching node-local services.",
    falsePositives: POD_FPS, fields: [...POD_FIELDS, 'spec.hostNetwork'],
  }, specFlag('hostNetwork'), templatedPod),
  rule({
    id: 'GS-T1611-HOSTIPC', title: 'Pod shares the host IPC namespace', severity: 'medium', techniques: ['T1611'],
    description: 'hostIPC exposes shared memory of host processes.',
    falsePositives: POD_FPS, fields: [...POD_FIELDS, 'spec.hostIPC'],
  }, specFlag('hostIPC'), templatedPod),
  rule({
    id: 'GS-T1611-SENSITIVE-MOUNT', title: 'Sensitive host path mounted', severity: 'high', techniques: ['T1611'],
    description: 'A pod mounts a host path that gives the node (root filesystem, runtime socket, kubelet credentials).',
    falsePositives: POD_FPS, fields: [...POD_FIELDS, 'spec.volumes[*].hostPath.path'],
  }, (e) => {
    if (!podWrite(e)) return null;
    const bad = hostPaths(e).filter((p) => SENSITIVE_HOST_PATHS.includes(normPath(p)));
    return bad.length > 0 ? `hostPath ${bad.join(', ')} in ${target(e)}` : null;
  }, templatedPod),
  rule({
    id: 'GS-T1611-HOSTPATH', title: 'Host path mounted', severity: 'low', techniques: ['T1611'],
    description: 'A pod mounts a directory of its node.',
    falsePositives: POD_FPS, fields: [...POD_FIELDS, 'spec.volumes[*].hostPath.path'],
  }, (e) => {
    if (!podWrite(e)) return null;
    const paths = hostPaths(e).filter((p) => !SENSITIVE_HOST_PATHS.includes(normPath(p)));
    return paths.length > 0 ? `hostPath ${paths.join(', ')} in ${target(e)}` : null;
  }, templatedPod),
  rule({
    id: 'GS-T1611-CAPS', title: 'Container adds dangerous capabilities', severity: 'medium', techniques: ['T1611'],
    description: 'Capabilities such as SYS_ADMIN, SYS_PTRACE or NET_ADMIN weaken container isolation.',
    falsePositives: POD_FPS, fields: [...POD_FIELDS, 'containers[*].securityContext.capabilities.add'],
  }, (e) => {
    if (!podWrite(e)) return null;
    const caps = podSpecs(e).flatMap(containers).flatMap((c) => getPath(c, 'securityContext.capabilities.add'))
      .map((c) => String(c).toUpperCase().replace(/^CAP_/, '')).filter((c) => DANGEROUS_CAPS.has(c));
    return caps.length > 0 ? `capabilities ${[...new Set(caps)].join(', ')} in ${target(e)}` : null;
  }, templatedPod),
  rule({
    id: 'GS-T1053.007-CRONJOB', title: 'CronJob created or changed', severity: 'medium', techniques: ['T1053.007'],
    description: 'A scheduled job runs code again and again: a common persistence.',
    falsePositives: ['Application releases that ship CronJobs.'],
    fields: ['verb', 'resource'],
  }, (e) => (e.resource === 'cronjobs' && !e.subresource && isWrite(e) && !isControlPlane(e.user) ? `${e.verb} ${target(e)}` : null)),
  rule({
    id: 'GS-T1036.005-LOOKALIKE', title: 'Workload named like a system component outside kube-system', severity: 'medium', techniques: ['T1036.005'],
    description: 'A pod or workload named after a control-plane component (kube-proxy-xyz, etcd-…) in another namespace.',
    falsePositives: ['Distributions that run components in their own namespaces (e.g. calico-system, cilium).'],
    fields: ['verb', 'resource', 'namespace', 'name', 'requestObject.metadata.name'],
  }, (e) => {
    if (e.verb !== 'create' || !e.namespace || e.namespace === 'kube-system' || e.subresource) return null;
    if (!['pods', 'deployments', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs'].includes(e.resource ?? '')) return null;
    const name = objectName(e) ?? String(getPath(e.requestObject, 'metadata.generateName')[0] ?? '');
    const like = SYSTEM_NAMES.find((s) => name === s || name.startsWith(`${s}-`));
    return like && !e.namespace.endsWith('-system') ? `${target(e)} looks like ${like} but is in ${e.namespace}` : null;
  }),
];
