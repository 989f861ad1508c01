import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { describeEvent } from '../../../src/engine/events/describe.ts';
import { makeEvent } from '../store/event-fixtures.ts';

let n = 0;
const ev = (over: Partial<AuditEvent>): AuditEvent => makeEvent({ auditID: `d-${++n}`, ...over });

// Shaped after real records: kubectl's exec URI repeats `command=` per argv word and, as in the
// captured sysdig-aks log, may repeat `container=`.
const exec = ev({
  verb: 'create',
  resource: 'pods',
  subresource: 'exec',
  namespace: 'production',
  name: 'debug-qbv8s',
  requestURI: '/api/v1/namespaces/production/pods/debug-qbv8s/exec?command=chroot&command=%2Fhost&command=sh&container=debugger&container=debugger&stdin=true&stdout=true&tty=true',
  responseCode: 101,
});

const privilegedPod = ev({
  verb: 'create',
  resource: 'pods',
  namespace: 'default',
  name: null,
  requestURI: '/api/v1/namespaces/default/pods',
  responseCode: 201,
  requestObject: {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'debug-qbv8s', namespace: 'default' },
    spec: {
      hostPID: true,
      hostNetwork: true,
      containers: [{ name: 'debugger', image: 'docker.io/library/busybox:1.36', securityContext: { privileged: true } }],
      volumes: [{ name: 'host', hostPath: { path: '/', type: '' } }],
    },
  },
});

const daemonSet = ev({
  verb: 'create',
  resource: 'daemonsets',
  apiGroup: 'apps',
  namespace: 'kube-system',
  name: null,
  requestURI: '/apis/apps/v1/namespaces/kube-system/daemonsets',
  responseCode: 201,
  requestObject: {
    kind: 'DaemonSet',
    metadata: { name: 'node-agent' },
    spec: { template: { spec: { containers: [{ name: 'a', image: 'ghcr.io/evil/miner:latest' }, { name: 'b', image: 'quay.io/x/sidecar:2' }] } } },
  },
});

const binding = ev({
  verb: 'create',
  resource: 'clusterrolebindings',
  apiGroup: 'rbac.authorization.k8s.io',
  namespace: null,
  name: null,
  requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  responseCode: 201,
  requestObject: {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'backdoor' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [
      { kind: 'ServiceAccount', name: 'default', namespace: 'kube-system' },
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory@example.com' },
    ],
  },
});

const token = ev({
  verb: 'create',
  resource: 'serviceaccounts',
  subresource: 'token',
  namespace: 'kube-system',
  name: 'clusterrole-aggregation-controller',
  requestURI: '/api/v1/namespaces/kube-system/serviceaccounts/clusterrole-aggregation-controller/token',
  responseCode: 201,
  requestObject: { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600 } },
});

const csr = ev({
  verb: 'create',
  resource: 'certificatesigningrequests',
  apiGroup: 'certificates.k8s.io',
  namespace: null,
  name: null,
  requestURI: '/apis/certificates.k8s.io/v1/certificatesigningrequests',
  responseCode: 201,
  requestObject: { kind: 'CertificateSigningRequest', metadata: { name: 'csr-admin' }, spec: { signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] } },
});

const deniedSecret = ev({
  verb: 'get',
  resource: 'secrets',
  namespace: 'kube-system',
  name: 'admin-token',
  requestURI: '/api/v1/namespaces/kube-system/secrets/admin-token',
  responseCode: 403,
  decision: 'forbid',
});

const alreadyExists = ev({
  verb: 'create',
  resource: 'secrets',
  namespace: 'kube-system',
  name: null,
  requestURI: '/api/v1/namespaces/kube-system/secrets',
  responseCode: 409,
  requestObject: { kind: 'Secret', metadata: { name: 'admin-token' } },
  responseObject: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409 },
});

const portForward = ev({
  verb: 'create',
  resource: 'pods',
  subresource: 'portforward',
  namespace: 'production',
  name: 'db-0',
  requestURI: '/api/v1/namespaces/production/pods/db-0/portforward?ports=5432',
  responseCode: 101,
});

const healthz = ev({ verb: 'get', resource: null, namespace: null, name: null, requestURI: '/healthz?timeout=32s', responseCode: 200 });
const noCode = ev({ verb: 'list', resource: 'secrets', namespace: null, name: null, requestURI: '/api/v1/secrets', responseCode: null, decision: null, stage: 'RequestReceived' });
const webhookDenied = ev({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web-1', responseCode: null, decision: 'forbid' });
const serverError = ev({ verb: 'patch', resource: 'configmaps', namespace: 'kube-system', name: 'coredns', responseCode: 500 });
const failureBody = ev({ verb: 'update', resource: 'leases', namespace: 'kube-node-lease', name: 'node-1', responseCode: 200, responseObject: { kind: 'Status', status: 'Failure', reason: 'Conflict' } });

describe('describeEvent', () => {
  it.each([
    ['exec: command words and container from the query', exec, 'pods/exec production/debug-qbv8s', 'exec `chroot /host sh` in production/debug-qbv8s container debugger', 'success'],
    ['pod create: name from the request object, image and host flags', privilegedPod, 'pods default/debug-qbv8s', 'create pods default/debug-qbv8s: image docker.io/library/busybox:1.36 (privileged, hostPID, hostNetwork, hostPath /)', 'success'],
    ['workload create: images of the pod template', daemonSet, 'daemonsets kube-system/node-agent', 'create daemonsets kube-system/node-agent: images ghcr.io/evil/miner:latest, quay.io/x/sidecar:2', 'success'],
    ['binding: role and every subject', binding, 'clusterrolebindings backdoor', 'create clusterrolebindings backdoor: grant ClusterRole cluster-admin to ServiceAccount kube-system/default, User mallory@example.com', 'success'],
    ['token request: service account, audience and lifetime', token, 'serviceaccounts/token kube-system/clusterrole-aggregation-controller', 'token for service account kube-system/clusterrole-aggregation-controller, audience https://kubernetes.default.svc, valid 3600 s', 'success'],
    ['CSR: signer', csr, 'certificatesigningrequests csr-admin', 'create certificatesigningrequests csr-admin: CSR for signer kubernetes.io/kube-apiserver-client', 'success'],
    ['403 is denied, with the code and its reason', deniedSecret, 'secrets kube-system/admin-token', 'get secrets kube-system/admin-token — denied (403 Forbidden)', 'denied'],
    ['409 on create is failed AlreadyExists', alreadyExists, 'secrets kube-system/admin-token', 'create secrets kube-system/admin-token — failed (409 AlreadyExists)', 'failed'],
    ['port-forward: the ports', portForward, 'pods/portforward production/db-0', 'port-forward to production/db-0 port 5432', 'success'],
    ['non-resource request: the path without its query', healthz, '/healthz', 'get /healthz', 'success'],
    ['no code at all is unknown', noCode, 'secrets', 'list secrets', 'unknown'],
    ['a forbid decision with no code is denied', webhookDenied, 'pods default/web-1', 'delete pods default/web-1 — denied (Forbidden)', 'denied'],
    ['5xx is failed', serverError, 'configmaps kube-system/coredns', 'patch configmaps kube-system/coredns — failed (500 InternalError)', 'failed'],
    ['a Status Failure body is failed even with a 2xx code', failureBody, 'leases kube-node-lease/node-1', 'update leases kube-node-lease/node-1 — failed (200 Conflict)', 'failed'],
  ])('%s', (_name, e, target, summary, outcome) => {
    expect(describeEvent(e)).toEqual({ target, summary, outcome });
  });

  it('lists at most four images and says how many more', () => {
    const many = ev({
      verb: 'create',
      resource: 'pods',
      namespace: 'default',
      name: 'p',
      requestObject: { spec: { containers: ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => ({ name: x, image: `reg/${x}:1` })) } },
    });
    expect(describeEvent(many).summary).toBe('create pods default/p: images reg/a:1, reg/b:1, reg/c:1, reg/d:1 +2 more');
  });

  it('an exec whose command was not kept says so rather than showing an empty command', () => {
    const bare = ev({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'default', name: 'web-1', requestURI: '/api/v1/namespaces/default/pods/web-1/exec' });
    expect(describeEvent(bare).summary).toBe('exec in default/web-1 (command not recorded)');
  });
});
