import type { AuditEvent } from '../../../src/shared/domain.ts';
import { burst, cronjob, deny, deployment, ev, pod } from './events.ts';

/**
 * For every built-in rule: `fires`, events whose last one the rule must hit; `quiet`, near misses
 * it must not hit at all; `denied`, events whose last one is refused (403, forbid). What a rule
 * does with the refusal depends on its attempt policy (tests/engine/rules/examples.test.ts).
 */
export interface RuleExamples {
  fires: AuditEvent[];
  quiet: AuditEvent[];
  denied: AuditEvent[];
}

/** CSRs made with openssl: `/O=system:masters/CN=mallory` and `/O=dev-team/CN=jane`. */
export const CSR_MASTERS = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIbE1JR05BZ0VBTUNzeEZ6QVZCZ05WQkFvTURuTjVjM1JsYlRwdFlYTjBaWEp6TVJBd0RnWURWUVFEREFkdApZV3hzYjNKNU1Ga3dFd1lIS29aSXpqMENBUVlJS29aSXpqMERBUWNEUWdBRVVPTGppV3RtQWh1WXhiRjFhVHZ5CitwSHlmRmFhSVU0TXc2RU94OWN5clVoQ1UrUVAzemppV2cydjYvTUs2Y3JoK0w2SGdvY09KTU01VlFXR1VkWXEKZWFBQU1Bb0dDQ3FHU000OUJBTUNBMGNBTUVRQ0lHT3prcEZ3UDRYRlRTc1I4YWVyY1dCK0FMblExQW5zdlU3awozR21JMDhBTkFpQSthT3I3cXE2ak9PSWlraXpyTURNVTFuZHpaaitqMU1hUElVVGZxVDhiL1E9PQotLS0tLUVORCBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K';
export const CSR_JANE = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIY01JR0VBZ0VBTUNJeEVUQVBCZ05WQkFvTUNHUmxkaTEwWldGdE1RMHdDd1lEVlFRRERBUnFZVzVsTUZrdwpFd1lIS29aSXpqMENBUVlJS29aSXpqMERBUWNEUWdBRWpkQ3NEamZnNFpRNlRtZVlTVDNmT01xbHkwSFFoYlFVCnFSWTA1UmZtZFhaaGtBZUFzc0szT1p5Z21wT3F4bHZHaUMycmRoVlZHbHJFUEdlbFhCaFd4NkFBTUFvR0NDcUcKU000OUJBTUNBMGNBTUVRQ0lCdmN5YTkzUDIxdjFHdEllTG00bUtWWW93K0lDTXA5emRPQjZvRXpCV21hQWlBVgpOd3BwRFZ4Ly9HblRoK0wvRXVwVkg0Rm95Z2tiSmtxM21Db2dsSHY2dXc9PQotLS0tLUVORCBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K';

const execURI = (pod: string, ...argv: string[]): string =>
  `/api/v1/namespaces/default/pods/${pod}/exec?${argv.map((a) => `command=${encodeURIComponent(a)}`).join('&')}&container=app&stdin=true&stdout=true&tty=true`;
const exec = (name: string, argv: string[], over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'create', resource: 'pods', subresource: 'exec', name, requestURI: execURI(name, ...argv), ...over });

const binding = (resource: string, role: string, subjects: Record<string, string>[] = [{ kind: 'User', name: 'mallory' }]): AuditEvent =>
  ev({ verb: 'create', resource, apiGroup: 'rbac.authorization.k8s.io', name: 'b', requestObject: { roleRef: { kind: 'ClusterRole', name: role }, subjects } });
const role = (resource: string, rules: Record<string, string[]>[], verb = 'create'): AuditEvent =>
  ev({ verb, resource, apiGroup: 'rbac.authorization.k8s.io', name: 'r', requestObject: { rules } });
const csr = (signerName: string, request: string, over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'create', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', name: 'csr-x', namespace: null, requestObject: { kind: 'CertificateSigningRequest', spec: { signerName, request, usages: ['client auth'] } }, ...over });
const approval = (type: string, over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'update', resource: 'certificatesigningrequests', subresource: 'approval', name: 'csr-x', namespace: null, requestObject: { spec: { signerName: 'kubernetes.io/kube-apiserver-client', request: CSR_MASTERS }, status: { conditions: [{ type, status: 'True' }] } }, ...over });
const ingress = (spec: Record<string, unknown>, verb = 'create'): AuditEvent =>
  ev({ verb, resource: 'ingresses', apiGroup: 'networking.k8s.io', name: 'web', requestObject: { kind: 'Ingress', spec } });
const HTTP_RULE = { host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } };
const privPod = (name: string): AuditEvent => pod({ containers: [{ name: 'x', securityContext: { privileged: true } }] }, { name });

const NODE = 'system:node:ip-10-0-1-23.ec2.internal';
const RS = 'system:serviceaccount:kube-system:replicaset-controller';
const hostSpec = (s: Record<string, unknown>) => pod(s);

export const EXAMPLES: Record<string, RuleExamples> = {
  'GS-T1609-EXEC': {
    fires: [exec('web', ['sh'])],
    quiet: [exec('web', ['tar', 'cf', '-', '/data']), ev({ verb: 'get', resource: 'pods', name: 'web' }), ev({ verb: 'get', resource: 'pods', subresource: 'log', name: 'web' })],
    denied: [deny(exec('web', ['sh']))],
  },
  'GS-T1609-COPY-IN': {
    fires: [exec('web', ['tar', '--no-same-permissions', '--no-same-owner', '-xmf', '-', '-C', '/tmp'])],
    quiet: [exec('web', ['tar', 'cf', '-', '/etc/passwd']), exec('web', ['sh', '-c', 'echo x'])],
    denied: [deny(exec('web', ['tar', 'xf', '-', '-C', '/tmp']))],
  },
  'GS-T1609-COPY-OUT': {
    fires: [exec('web', ['tar', 'cf', '-', '/var/lib/app/db.sqlite'])],
    quiet: [exec('web', ['tar', 'xf', '-', '-C', '/tmp']), exec('web', ['/bin/bash'])],
    denied: [deny(exec('web', ['tar', 'cf', '-', '/etc/shadow']))],
  },
  'GS-T1609-ATTACH': {
    fires: [ev({ verb: 'create', resource: 'pods', subresource: 'attach', name: 'web' })],
    quiet: [exec('web', ['sh']), ev({ verb: 'get', resource: 'pods', name: 'web' })],
    denied: [deny(ev({ verb: 'create', resource: 'pods', subresource: 'attach', name: 'web' }))],
  },
  'GS-T1609-EXEC-SYSTEM': {
    fires: [ev({ verb: 'get', resource: 'pods', subresource: 'exec', namespace: 'kube-system', name: 'etcd-0' })],
    quiet: [exec('web', ['sh']), ev({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'kube-system', name: 'etcd-0' })],
    denied: [deny(ev({ verb: 'get', resource: 'pods', subresource: 'exec', namespace: 'kube-system', name: 'etcd-0' }))],
  },
  'GS-T1609-EXEC-PRIVILEGED': {
    fires: [privPod('evil'), exec('evil', ['sh'])],
    // A privileged pod whose create was refused never ran: an exec into that name is not into it.
    quiet: [pod({}, { name: 'plain' }), exec('plain', ['sh']), deny(privPod('blocked')), exec('blocked', ['sh'])],
    denied: [privPod('evil2'), deny(exec('evil2', ['sh']))],
  },
  'GS-T1610-EPHEMERAL': {
    fires: [ev({ verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', name: 'web' })],
    quiet: [ev({ verb: 'get', resource: 'pods', subresource: 'ephemeralcontainers', name: 'web' })],
    denied: [deny(ev({ verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', name: 'web' }))],
  },
  'GS-T1610-SIDECAR': {
    fires: [ev({ verb: 'patch', resource: 'deployments', name: 'web', requestObject: { spec: { template: { spec: { containers: [{ name: 'miner', image: 'x' }] } } } } })],
    quiet: [ev({ verb: 'patch', resource: 'deployments', name: 'web', requestObject: { spec: { replicas: 3 } } })],
    denied: [deny(ev({ verb: 'patch', resource: 'deployments', name: 'web', requestObject: { spec: { template: { spec: { containers: [{ name: 'miner', image: 'x' }] } } } } }))],
  },
  'GS-T1610-DIRECT-POD': {
    fires: [pod({}, { user: 'alice' })],
    quiet: [pod({}, { user: RS }), pod({}, { user: 'system:serviceaccount:ci:runner' })],
    denied: [deny(pod({}, { user: 'alice' }))],
  },
  'GS-T1610-DAEMONSET': {
    fires: [ev({ verb: 'create', resource: 'daemonsets', apiGroup: 'apps', name: 'node-helper', requestObject: { spec: { template: { spec: { containers: [{ name: 'c', image: 'alpine:3.19' }] } } } } })],
    quiet: [ev({ verb: 'create', resource: 'deployments', apiGroup: 'apps', name: 'web' }), ev({ verb: 'patch', resource: 'daemonsets', apiGroup: 'apps', name: 'node-helper' }),
      ev({ verb: 'create', resource: 'daemonsets', apiGroup: 'apps', name: 'kube-proxy', user: 'system:serviceaccount:kube-system:generic-garbage-collector' })],
    denied: [deny(ev({ verb: 'create', resource: 'daemonsets', apiGroup: 'apps', name: 'node-helper' }))],
  },
  'GS-T1611-PRIVILEGED': {
    fires: [deployment({ initContainers: [{ name: 'i', securityContext: { privileged: true } }] })],
    quiet: [pod({}), deployment({ containers: [{ name: 'c', securityContext: { privileged: false } }] })],
    denied: [deny(pod({ containers: [{ name: 'x', securityContext: { privileged: true } }] }))],
  },
  'GS-T1611-HOSTPID': { fires: [cronjob({ hostPID: true })], quiet: [pod({ hostPID: false })], denied: [deny(hostSpec({ hostPID: true }))] },
  'GS-T1611-HOSTNETWORK': {
    fires: [ev({ verb: 'create', resource: 'daemonsets', requestObject: { spec: { template: { spec: { hostNetwork: true, containers: [] } } } } })],
    quiet: [pod({ hostNetwork: false })],
    denied: [deny(hostSpec({ hostNetwork: true }))],
  },
  'GS-T1611-HOSTIPC': { fires: [pod({ hostIPC: true })], quiet: [pod({})], denied: [deny(hostSpec({ hostIPC: true }))] },
  'GS-T1611-SENSITIVE-MOUNT': {
    fires: [pod({ volumes: [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }] })],
    quiet: [pod({ volumes: [{ name: 'd', hostPath: { path: '/opt/data' } }] })],
    denied: [deny(pod({ volumes: [{ name: 'root', hostPath: { path: '/' } }] }))],
  },
  'GS-T1611-HOSTPATH': {
    fires: [pod({ volumes: [{ name: 'd', hostPath: { path: '/opt/data' } }] })],
    quiet: [pod({ volumes: [{ name: 'd', emptyDir: {} }] })],
    denied: [deny(pod({ volumes: [{ name: 'd', hostPath: { path: '/opt/data' } }] }))],
  },
  'GS-T1611-CAPS': {
    fires: [pod({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['CAP_SYS_ADMIN'] } } }] })],
    quiet: [pod({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }] })],
    denied: [deny(pod({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }] }))],
  },
  'GS-T1053.007-CRONJOB': {
    fires: [cronjob({})],
    quiet: [ev({ verb: 'get', resource: 'cronjobs', name: 'cj' }), cronjob({}, { user: 'system:serviceaccount:kube-system:cronjob-controller' })],
    denied: [deny(cronjob({}))],
  },
  'GS-T1036.005-LOOKALIKE': {
    fires: [pod({}, { name: 'kube-proxy-x7k2p', namespace: 'default' })],
    quiet: [pod({}, { name: 'kube-proxy-x7k2p', namespace: 'kube-system' }), pod({}, { name: 'web-1', namespace: 'default' })],
    denied: [deny(pod({}, { name: 'etcd-backup', namespace: 'default' }))],
  },
  'GS-T1098-CLUSTER-ADMIN': {
    fires: [binding('clusterrolebindings', 'cluster-admin')],
    quiet: [binding('clusterrolebindings', 'view'), binding('rolebindings', 'edit'), binding('rolebindings', 'admin')],
    denied: [deny(binding('clusterrolebindings', 'cluster-admin'))],
  },
  'GS-T1098-WILDCARD-ROLE': {
    fires: [role('roles', [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }])],
    quiet: [role('roles', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])],
    denied: [deny(role('clusterroles', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]))],
  },
  'GS-T1609-EXEC-ROLE': {
    fires: [role('clusterroles', [{ resources: ['pods/exec'], verbs: ['create'] }])],
    quiet: [role('clusterroles', [{ resources: ['pods/log'], verbs: ['get'] }])],
    denied: [deny(role('roles', [{ resources: ['pods/exec'], verbs: ['create'] }]))],
  },
  'GS-T1098-WRITE-ROLE': {
    fires: [role('clusterroles', [{ resources: ['configmaps'], verbs: ['patch'] }])],
    quiet: [role('clusterroles', [{ resources: ['configmaps'], verbs: ['get', 'list'] }])],
    denied: [deny(role('roles', [{ resources: ['secrets'], verbs: ['delete'] }]))],
  },
  'GS-T1098-SYSTEM-ROLE': {
    fires: [ev({ verb: 'delete', resource: 'clusterroles', name: 'system:kube-aggregator', namespace: null })],
    quiet: [ev({ verb: 'delete', resource: 'clusterroles', name: 'team-reader', namespace: null }), ev({ verb: 'patch', resource: 'clusterroles', name: 'system:node', namespace: null, user: 'system:kube-controller-manager' })],
    denied: [deny(ev({ verb: 'patch', resource: 'roles', name: 'system:controller:bootstrap-signer', namespace: 'kube-system' }))],
  },
  'GS-T1078-IMPERSONATION': {
    fires: [ev({ impersonatedUser: 'system:admin', impersonatedGroups: ['system:masters'] })],
    quiet: [ev({ user: 'alice' })],
    denied: [deny(ev({ impersonatedUser: 'system:admin' }))],
  },
  'GS-T1649-CSR-CLIENT': {
    fires: [csr('kubernetes.io/kube-apiserver-client', CSR_JANE, { user: 'alice' })],
    quiet: [csr('kubernetes.io/kube-apiserver-client-kubelet', CSR_JANE, { user: NODE }), csr('kubernetes.io/kubelet-serving', CSR_JANE, { user: 'alice' }),
      csr('kubernetes.io/kube-apiserver-client-kubelet', CSR_JANE, { user: 'system:bootstrap:abcdef' })],
    denied: [deny(csr('kubernetes.io/kube-apiserver-client', CSR_MASTERS, { user: 'mallory' }))],
  },
  'GS-T1649-CSR-APPROVE': {
    fires: [approval('Approved')],
    quiet: [approval('Denied'), approval('Approved', { user: 'system:serviceaccount:kube-system:certificate-controller' })],
    denied: [deny(approval('Approved'))],
  },
  'GS-PERSIST-WEBHOOK': {
    fires: [ev({ verb: 'create', resource: 'mutatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io' })],
    quiet: [ev({ verb: 'list', resource: 'mutatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io' })],
    denied: [deny(ev({ verb: 'patch', resource: 'validatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io' }))],
  },
  'GS-T1528-TOKENREQUEST': {
    fires: [ev({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'default' })],
    quiet: [ev({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'default', user: NODE })],
    denied: [deny(ev({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'kube-system', name: 'clusterrole-aggregation-controller' }))],
  },
  'GS-T1528-TOKEN-SECRET': {
    fires: [ev({ verb: 'create', resource: 'secrets', requestObject: { type: 'kubernetes.io/service-account-token' } })],
    quiet: [ev({ verb: 'create', resource: 'secrets', requestObject: { type: 'Opaque' } })],
    denied: [deny(ev({ verb: 'create', resource: 'secrets', requestObject: { type: 'kubernetes.io/service-account-token' } }))],
  },
  'GS-T1552.007-SECRETS-LIST': {
    fires: [ev({ verb: 'list', resource: 'secrets', namespace: null })],
    quiet: [ev({ verb: 'list', resource: 'secrets', user: 'system:kube-controller-manager' }), ev({ verb: 'list', resource: 'configmaps' })],
    denied: [deny(ev({ verb: 'list', resource: 'secrets', namespace: null }))],
  },
  'GS-T1552.007-SECRET-READ': {
    fires: [ev({ verb: 'get', resource: 'secrets', name: 'db' })],
    quiet: [ev({ verb: 'get', resource: 'secrets', name: 'db', user: 'system:serviceaccount:app:web' }), ev({ verb: 'get', resource: 'configmaps', name: 'db' })],
    denied: [deny(ev({ verb: 'get', resource: 'secrets', namespace: 'production', name: 'db-password' }))],
  },
  'GS-T1552-CONFIGMAP-CREDS': {
    fires: [ev({ verb: 'create', resource: 'configmaps', requestObject: { data: { 'app.ini': 'db_password = hunter2' } } })],
    quiet: [ev({ verb: 'create', resource: 'configmaps', requestObject: { data: { 'ui.properties': 'color=purple' } } })],
    denied: [deny(ev({ verb: 'create', resource: 'configmaps', requestObject: { data: { AWS_SECRET_ACCESS_KEY: 'x' } } }))],
  },
  'GS-T1078.001-ANONYMOUS': {
    fires: [ev({ user: 'system:anonymous', groups: ['system:unauthenticated'], decision: 'allow', requestURI: '/api/v1/secrets' })],
    quiet: [ev({ user: 'system:anonymous', groups: ['system:unauthenticated'], decision: 'allow', requestURI: '/healthz' })],
    denied: [deny(ev({ user: 'system:anonymous', groups: ['system:unauthenticated'], requestURI: '/api/v1/secrets' }))],
  },
  'GS-T1613-ACCESS-REVIEW': {
    fires: [ev({ verb: 'create', resource: 'selfsubjectrulesreviews', apiGroup: 'authorization.k8s.io' })],
    quiet: [ev({ verb: 'create', resource: 'selfsubjectrulesreviews', apiGroup: 'authorization.k8s.io', user: NODE })],
    denied: [deny(ev({ verb: 'create', resource: 'selfsubjectaccessreviews', apiGroup: 'authorization.k8s.io' }))],
  },
  'GS-T1613-FORBIDDEN-BURST': {
    fires: burst(10, () => ({ responseCode: 403, decision: 'forbid', user: 'mallory' })),
    quiet: burst(9, () => ({ responseCode: 403, user: 'mallory' })),
    denied: [...burst(9, () => ({ user: 'mallory' })).map(deny), deny(ev({ timeUs: 1e15 + 9e6, user: 'mallory' }))],
  },
  'GS-T1613-PUBLIC-DENIED-BURST': {
    fires: burst(10, (i) => ({ responseCode: 403, decision: 'forbid', user: i % 2 ? 'system:anonymous' : `u${i}`, sourceIPs: ['198.51.100.7'] })),
    quiet: [...burst(10, () => ({ responseCode: 403, sourceIPs: ['10.1.2.3'] })), ...burst(9, () => ({ responseCode: 403, sourceIPs: ['198.51.100.8'] }))],
    denied: burst(10, () => ({ sourceIPs: ['203.0.113.9'] })).map(deny),
  },
  'GS-T1613-DISCOVERY-BURST': {
    fires: burst(15, (i) => ({ verb: 'list', resource: `kind${i}` })),
    quiet: [...burst(14, (i) => ({ verb: 'list', resource: `kind${i}` })), ...burst(20, (i) => ({ verb: 'list', resource: `kind${i}`, user: NODE }))],
    // Refused reads are discovery too: a token being tried out resource by resource.
    denied: burst(15, (i) => ({ verb: 'list', resource: `kind${i}`, user: 'mallory' })).map(deny),
  },
  'GS-T1070-EVENTS-DELETE': {
    fires: [ev({ verb: 'delete', resource: 'events', name: 'e1' })],
    quiet: [ev({ verb: 'list', resource: 'events' })],
    denied: [deny(ev({ verb: 'deletecollection', resource: 'events' }))],
  },
  'GS-T1485-DELETECOLLECTION': {
    fires: [ev({ verb: 'deletecollection', resource: 'pods' })],
    quiet: [ev({ verb: 'delete', resource: 'pods', name: 'web' }), ev({ verb: 'deletecollection', resource: 'pods', user: 'system:serviceaccount:kube-system:namespace-controller' })],
    denied: [deny(ev({ verb: 'deletecollection', resource: 'secrets' }))],
  },
  'GS-T1485-NAMESPACE-DELETE': {
    fires: [ev({ verb: 'delete', resource: 'namespaces', name: 'prod', namespace: null })],
    quiet: [ev({ verb: 'create', resource: 'namespaces', name: 'prod', namespace: null })],
    denied: [deny(ev({ verb: 'delete', resource: 'namespaces', name: 'prod', namespace: null }))],
  },
  'GS-PORTFORWARD': {
    fires: [ev({ verb: 'create', resource: 'pods', subresource: 'portforward', name: 'db' })],
    quiet: [ev({ verb: 'get', resource: 'pods', name: 'db' })],
    denied: [deny(ev({ verb: 'create', resource: 'pods', subresource: 'portforward', name: 'db' }))],
  },
  'GS-NODE-PROXY': {
    fires: [ev({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'node-1', requestURI: '/api/v1/nodes/node-1/proxy/runningpods/' })],
    quiet: [ev({ verb: 'get', resource: 'nodes', name: 'node-1' }), ev({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'node-1', user: NODE })],
    denied: [deny(ev({ verb: 'create', resource: 'nodes', subresource: 'proxy', name: 'node-1', requestURI: '/api/v1/nodes/node-1/proxy/exec/default/web/app?command=id' }))],
  },
  'GS-T1133-NODEPORT': {
    fires: [ev({ verb: 'create', resource: 'services', requestObject: { spec: { type: 'NodePort' } } })],
    quiet: [ev({ verb: 'create', resource: 'services', requestObject: { spec: { type: 'ClusterIP' } } })],
    denied: [deny(ev({ verb: 'create', resource: 'services', requestObject: { spec: { type: 'NodePort' } } }))],
  },
  'GS-T1133-INGRESS-NO-TLS': {
    fires: [ingress({ rules: [HTTP_RULE] })],
    quiet: [ingress({ rules: [HTTP_RULE], tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] }), ingress({ rules: [HTTP_RULE] }, 'patch'), ingress({})],
    denied: [deny(ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } }))],
  },
  'GS-T1078-SYSTEM-PUBLIC': {
    fires: [ev({ verb: 'list', resource: 'secrets', user: NODE, sourceIPs: ['198.51.100.23'] })],
    quiet: [ev({ verb: 'list', resource: 'pods', user: NODE, sourceIPs: ['10.0.1.23'] }), ev({ verb: 'list', resource: 'pods', user: 'alice', sourceIPs: ['198.51.100.23'] }),
      ev({ user: 'system:kube-controller-manager', sourceIPs: ['::1'] }), ev({ user: 'system:kube-scheduler', sourceIPs: ['fd00:10::5'] })],
    // A 403 still proves the stolen node credential authenticated: the refusal changes nothing.
    denied: [deny(ev({ verb: 'list', resource: 'secrets', user: 'system:kube-controller-manager', sourceIPs: ['203.0.113.50'] }))],
  },
  'GS-T1610-KUBE-NS-POD': {
    fires: [pod({}, { namespace: 'kube-public' })],
    quiet: [pod({ containers: [{ name: 'c', image: 'registry.k8s.io/kube-proxy:v1.30.0' }] }, { namespace: 'kube-system', user: RS }), pod({}, { namespace: 'default' })],
    denied: [deny(pod({}, { namespace: 'kube-system' }))],
  },
  'GS-T1136-KUBE-NS-SA': {
    fires: [ev({ verb: 'create', resource: 'serviceaccounts', namespace: 'kube-system', name: 'backdoor' })],
    quiet: [ev({ verb: 'create', resource: 'serviceaccounts', namespace: 'default', name: 'app' })],
    denied: [deny(ev({ verb: 'create', resource: 'serviceaccounts', namespace: 'kube-system', name: 'backdoor' }))],
  },
  'GS-T1036.005-NAMESPACE': {
    fires: [ev({ verb: 'create', resource: 'namespaces', name: 'kube-systen', namespace: null })],
    quiet: [ev({ verb: 'create', resource: 'namespaces', name: 'team-a', namespace: null })],
    denied: [deny(ev({ verb: 'create', resource: 'namespaces', name: 'kube-sytem', namespace: null }))],
  },
};
