/** Request bodies for the writes logged at Request/RequestResponse level. */

export interface PodOptions {
  serviceAccount?: string;
  privileged?: boolean;
  hostPID?: boolean;
  hostNetwork?: boolean;
  hostPaths?: [string, string][];
  command?: string[];
  labels?: Record<string, string>;
  ownerKind?: string;
  ownerName?: string;
  nodeName?: string;
  /** The container's resources; a small request when omitted. */
  resources?: Record<string, unknown>;
}

export function podBody(namespace: string, name: string, image: string, o: PodOptions = {}): Record<string, unknown> {
  const volumes = (o.hostPaths ?? []).map(([path], i) => ({ name: `host-${i}`, hostPath: { path, type: '' } }));
  const mounts = (o.hostPaths ?? []).map(([, mountPath], i) => ({ name: `host-${i}`, mountPath, readOnly: mountPath !== '/host' }));
  const container: Record<string, unknown> = { name: name.split('-')[0], image, resources: o.resources ?? { requests: { cpu: '50m', memory: '64Mi' } }, imagePullPolicy: 'IfNotPresent' };
  if (o.command) container.command = o.command;
  if (mounts.length) container.volumeMounts = mounts;
  if (o.privileged) container.securityContext = { privileged: true };
  const spec: Record<string, unknown> = { containers: [container], restartPolicy: 'Always', serviceAccountName: o.serviceAccount ?? 'default' };
  if (volumes.length) spec.volumes = volumes;
  if (o.hostPID) spec.hostPID = true;
  if (o.hostNetwork) spec.hostNetwork = true;
  if (o.nodeName) spec.nodeName = o.nodeName;
  const metadata: Record<string, unknown> = { name, namespace, labels: o.labels ?? { app: name.split('-')[0] } };
  if (o.ownerKind) metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: o.ownerKind, name: o.ownerName, controller: true, blockOwnerDeletion: true }];
  return { kind: 'Pod', apiVersion: 'v1', metadata, spec };
}

export function bindingBody(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, role: string, subjects: Record<string, string>[], namespace?: string): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name };
  if (namespace) metadata.namespace = namespace;
  return { kind, apiVersion: 'rbac.authorization.k8s.io/v1', metadata, subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role } };
}

export function cronJobBody(namespace: string, name: string, schedule: string, image: string, command: string[], sa: string, host = false): Record<string, unknown> {
  const pod: Record<string, unknown> = { serviceAccountName: sa, restartPolicy: 'OnFailure', containers: [{ name, image, command }] };
  if (host) Object.assign(pod, { hostNetwork: true, hostPID: true });
  return { kind: 'CronJob', apiVersion: 'batch/v1', metadata: { name, namespace }, spec: { schedule, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: pod } } } } };
}

export function crbReason(binding: string, role: string, subjectKind: string, subject: string): string {
  return `RBAC: allowed by ClusterRoleBinding "${binding}" of ClusterRole "${role}" to ${subjectKind} "${subject}"`;
}

export function rbReason(binding: string, role: string, namespace: string, subjectKind: string, subject: string): string {
  return `RBAC: allowed by RoleBinding "${binding}/${namespace}" of ClusterRole "${role}" to ${subjectKind} "${subject}"`;
}
