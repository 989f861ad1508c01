import { publicIP, saUser, workload } from './cluster.ts';
import { bindingBody, crbReason } from './objects.ts';
import { KUBECTL_OLD, type ScenarioDef } from './scenario-kit.ts';

const V1 = { apiVersion: 'v1' };
const RBAC = { apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' };

export const deleteEvents: ScenarioDef = {
  id: 'delete-events',
  label: 'malicious',
  techniques: ['T1070'],
  description: 'An SRE credential from a new IP deletes the Kubernetes events of two namespaces to cover tracks.',
  when: 'any',
  play(s) {
    const h = s.rng.pick(s.c.humans.filter((x) => x.user.groups?.includes('oidc:sre')));
    const ip = publicIP(s.rng);
    const reason = crbReason('sre-admin', 'cluster-admin', 'Group', 'oidc:sre');
    for (const ns of ['kube-system', s.rng.pick(['web', 'data', 'payments'])]) {
      s.call({ verb: 'list', user: h.user, ip, ua: KUBECTL_OLD, ref: { resource: 'events', namespace: ns, ...V1 }, query: 'limit=500', reason });
      for (let i = s.rng.int(1, 3); i > 0; i--) {
        s.call({ verb: 'delete', user: h.user, ip, ua: KUBECTL_OLD, ref: { resource: 'events', namespace: ns, name: `${s.rng.pick(s.c.workloads).name}.${s.rng.hex(16)}`, ...V1 }, reason });
      }
      s.call({ verb: 'deletecollection', user: h.user, ip, ua: KUBECTL_OLD, ref: { resource: 'events', namespace: ns, ...V1 }, reason });
    }
  },
};

export const anonymousSuccess: ScenarioDef = {
  id: 'anonymous-success',
  label: 'malicious',
  techniques: ['T1078.001'],
  description: 'A developer binds system:unauthenticated to view by mistake; minutes later anonymous clients on the internet read the cluster.',
  when: 'work',
  play(s) {
    const h = s.rng.pick(s.c.humans.filter((x) => x.user.groups?.includes('oidc:sre')));
    const reason = crbReason('sre-admin', 'cluster-admin', 'Group', 'oidc:sre');
    const body = bindingBody('ClusterRoleBinding', 'debug-public-view', 'view', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' }]);
    s.call({ verb: 'create', user: h.user, ip: h.ips[1], ua: 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819', ref: { resource: 'clusterrolebindings', ...RBAC }, reqObj: body, received: true, reason });
    s.wait(300, 3000);
    const anon = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    const open = crbReason('debug-public-view', 'view', 'Group', 'system:unauthenticated');
    for (let k = s.rng.int(1, 2); k > 0; k--) {
      const ip = publicIP(s.rng);
      for (const [resource, ns] of [['namespaces', undefined], ['pods', undefined], ['configmaps', 'kube-system'], ['services', undefined], ['deployments', 'web']] as const) {
        const ref = resource === 'deployments' ? { resource, namespace: ns, apiGroup: 'apps', apiVersion: 'v1' } : { resource, namespace: ns, ...V1 };
        s.call({ verb: 'list', user: anon, ip, ua: 'python-requests/2.31.0', ref, reason: open });
      }
      s.call({ verb: 'list', user: anon, ip, ua: 'python-requests/2.31.0', ref: { resource: 'secrets', namespace: 'kube-system', ...V1 }, code: 403 });
      s.wait(30, 600);
    }
  },
};

export const tokenRequest: ScenarioDef = {
  id: 'token-request',
  label: 'malicious',
  techniques: ['T1528'],
  description: "A pod in web mints a token for payments' service account (TokenRequest) and uses it to read payments secrets.",
  when: 'any',
  play(s) {
    const worker = workload(s.c, 'worker');
    const ip = worker.pods[0].ip;
    const user = saUser('web', 'worker');
    s.call({ verb: 'get', user, ip, ua: KUBECTL_OLD, ref: { resource: 'serviceaccounts', namespace: 'payments', name: 'payments-api', ...V1 }, reason: crbReason('worker-sa-admin', 'serviceaccount-admin', 'ServiceAccount', 'worker/web') });
    s.call({ verb: 'create', user, ip, ua: KUBECTL_OLD, ref: { resource: 'serviceaccounts', namespace: 'payments', name: 'payments-api', subresource: 'token', ...V1 }, reqObj: { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 86400 } }, reason: crbReason('worker-sa-admin', 'serviceaccount-admin', 'ServiceAccount', 'worker/web') });
    s.wait(10, 120);
    const stolen = saUser('payments', 'payments-api');
    const reason = `RBAC: allowed by RoleBinding "payments-api/payments" of Role "payments-api" to ServiceAccount "payments-api/payments"`;
    s.call({ verb: 'list', user: stolen, ip, ua: KUBECTL_OLD, ref: { resource: 'secrets', namespace: 'payments', ...V1 }, query: 'limit=500', reason });
    s.call({ verb: 'get', user: stolen, ip, ua: KUBECTL_OLD, ref: { resource: 'secrets', namespace: 'payments', name: 'payments-api-credentials', ...V1 }, reason });
  },
};

const EVERY_TYPE: [string, string | undefined][] = [
  ['pods', undefined], ['secrets', undefined], ['configmaps', undefined], ['services', undefined], ['serviceaccounts', undefined], ['nodes', undefined], ['namespaces', undefined],
  ['persistentvolumes', undefined], ['persistentvolumeclaims', undefined], ['endpoints', undefined], ['events', undefined], ['deployments', 'apps'], ['daemonsets', 'apps'],
  ['statefulsets', 'apps'], ['replicasets', 'apps'], ['jobs', 'batch'], ['cronjobs', 'batch'], ['roles', 'rbac.authorization.k8s.io'], ['rolebindings', 'rbac.authorization.k8s.io'],
  ['clusterroles', 'rbac.authorization.k8s.io'], ['clusterrolebindings', 'rbac.authorization.k8s.io'], ['ingresses', 'networking.k8s.io'], ['networkpolicies', 'networking.k8s.io'],
  ['mutatingwebhookconfigurations', 'admissionregistration.k8s.io'], ['validatingwebhookconfigurations', 'admissionregistration.k8s.io'], ['customresourcedefinitions', 'apiextensions.k8s.io'],
  ['storageclasses', 'storage.k8s.io'], ['leases', 'coordination.k8s.io'], ['priorityclasses', 'scheduling.k8s.io'], ['certificatesigningrequests', 'certificates.k8s.io'],
];

export const discoveryBurst: ScenarioDef = {
  id: 'discovery-burst',
  label: 'malicious',
  techniques: ['T1613'],
  description: 'A shell in the web frontend pod asks what it may do (SelfSubjectAccessReview/RulesReview) and lists every resource type; most are refused.',
  when: 'any',
  play(s) {
    const fe = workload(s.c, 'frontend');
    const ip = fe.pods[0].ip;
    const user = saUser('web', 'frontend');
    const ua = 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819';
    const disc = crbReason('system:basic-user', 'system:basic-user', 'Group', 'system:authenticated');
    s.call({ verb: 'create', user, ip, ua, ref: { resource: 'selfsubjectrulesreviews', apiGroup: 'authorization.k8s.io', apiVersion: 'v1' }, reqObj: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: { namespace: 'web' } }, reason: disc });
    for (const verb of ['create', 'list', 'get']) {
      s.call({ verb: 'create', user, ip, ua, ref: { resource: 'selfsubjectaccessreviews', apiGroup: 'authorization.k8s.io', apiVersion: 'v1' }, reqObj: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: { verb, resource: 'pods', namespace: 'web' } } }, reason: disc });
    }
    for (const [resource, apiGroup] of EVERY_TYPE) {
      const allowed = resource === 'configmaps' || resource === 'services' || resource === 'endpoints';
      s.call({ verb: 'list', user, ip, ua, ref: { resource, apiGroup, apiVersion: 'v1', namespace: allowed ? 'web' : undefined }, query: 'limit=500', code: allowed ? 200 : 403, reason: allowed ? `RBAC: allowed by RoleBinding "frontend/web" of Role "frontend" to ServiceAccount "frontend/web"` : undefined, latencyUs: 2000 });
    }
  },
};

export const webhookPersistence: ScenarioDef = {
  id: 'webhook-persistence',
  label: 'malicious',
  techniques: ['T1546'],
  description: "The ingress controller's token, used from a new IP, registers a mutating admission webhook on pod creation that calls an outside URL.",
  when: 'any',
  play(s) {
    const user = saUser('ingress-nginx', 'ingress-nginx');
    const ip = publicIP(s.rng);
    const reason = crbReason('ingress-nginx-admission', 'ingress-nginx-admission', 'ServiceAccount', 'ingress-nginx/ingress-nginx');
    const group = { apiGroup: 'admissionregistration.k8s.io', apiVersion: 'v1' };
    s.call({ verb: 'list', user, ip, ua: KUBECTL_OLD, ref: { resource: 'mutatingwebhookconfigurations', ...group }, query: 'limit=500', reason });
    const name = 'pod-defaults.ingress-nginx.io';
    const body = { kind: 'MutatingWebhookConfiguration', apiVersion: 'admissionregistration.k8s.io/v1', metadata: { name }, webhooks: [{ name, clientConfig: { url: `https://${publicIP(s.rng)}:8443/mutate` }, rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], failurePolicy: 'Ignore', sideEffects: 'None', admissionReviewVersions: ['v1'] }] };
    s.call({ verb: 'create', user, ip, ua: KUBECTL_OLD, ref: { resource: 'mutatingwebhookconfigurations', ...group }, reqObj: body, received: true, reason });
    s.call({ verb: 'get', user, ip, ua: KUBECTL_OLD, ref: { resource: 'mutatingwebhookconfigurations', name, ...group }, reason });
  },
};

export const hardeningJob: ScenarioDef = {
  id: 'hardening-job',
  label: 'benign',
  techniques: [],
  description: 'Benign true positive: a new hardening process (new namespace, new user, new IPs) audits RBAC and labels namespaces for Pod Security.',
  when: 'work',
  play(s) {
    const user = { username: 'secops-automation@example.com', groups: ['oidc:secops', 'system:authenticated'] };
    const ips = [`100.64.200.${s.rng.int(2, 120)}`, `100.64.200.${s.rng.int(121, 250)}`];
    const reason = crbReason('secops-audit', 'cluster-admin', 'Group', 'oidc:secops');
    const ua = 'kube-bench/v0.7.1 (linux/amd64) kubernetes/v0.0.0';
    s.call({ verb: 'create', user, ip: ips[0], ua, ref: { resource: 'namespaces', ...V1 }, reqObj: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'secops-hardening' } }, reason });
    const sa = saUser('secops-hardening', 'auditor');
    const saReason = crbReason('secops-auditor', 'view', 'ServiceAccount', 'auditor/secops-hardening');
    for (const [resource, apiGroup] of EVERY_TYPE.filter(([r]) => r !== 'secrets')) {
      s.call({ verb: 'list', user: sa, ip: s.rng.pick(ips), ua, ref: { resource, apiGroup, apiVersion: 'v1' }, query: 'limit=500', reason: saReason });
    }
    for (const ns of s.c.namespaces.filter((n) => !n.startsWith('kube-'))) {
      s.call({ verb: 'patch', user, ip: ips[1], ua, ref: { resource: 'namespaces', namespace: ns, name: ns, ...V1 }, reqObj: { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } }, reason });
    }
  },
};
