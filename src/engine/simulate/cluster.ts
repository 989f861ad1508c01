import type { Rng } from './prng.ts';
import type { UserInfo } from './audit.ts';

export interface Node {
  name: string;
  ip: string;
}

export interface Workload {
  namespace: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  serviceAccount: string;
  pods: { name: string; ip: string; node: Node }[];
  configmaps: string[];
  secrets: string[];
}

export interface Human {
  user: UserInfo;
  ips: string[];
  /** Hours east of UTC: people work in their own day. */
  tz: number;
  namespaces: string[];
  /** Sessions per working hour at scale 1. */
  activity: number;
}

/** The simulated cluster: everything an actor or a scenario needs to name things consistently. */
export interface Cluster {
  name: string;
  version: string;
  /** `kubelet/v1.29.4 (linux/amd64) kubernetes/55019c8` style suffix. */
  uaTail: string;
  controlPlaneIP: string;
  nodes: Node[];
  namespaces: string[];
  workloads: Workload[];
  humans: Human[];
  ciIPs: string[];
  gitopsNamespace: string;
  gcpProject: string;
  gcpLocation: string;
  azureResourceId: string;
  awsRegion: string;
}

export function saUser(namespace: string, name: string): UserInfo {
  return { username: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

export function publicIP(rng: Rng): string {
  // Stay out of private, loopback, multicast and documentation space so "new public IP" stays true.
  const first = rng.pick([23, 31, 37, 45, 46, 62, 77, 80, 85, 91, 94, 103, 109, 141, 176, 178, 185, 193, 195, 212]);
  return `${first}.${rng.int(1, 254)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

const APPS: [string, string, Workload['kind'], number][] = [
  ['web', 'frontend', 'Deployment', 3],
  ['web', 'api', 'Deployment', 3],
  ['web', 'worker', 'Deployment', 2],
  ['payments', 'payments-api', 'Deployment', 2],
  ['payments', 'ledger', 'Deployment', 2],
  ['data', 'postgres', 'StatefulSet', 2],
  ['data', 'redis', 'StatefulSet', 1],
  ['monitoring', 'prometheus', 'StatefulSet', 1],
  ['monitoring', 'grafana', 'Deployment', 1],
  ['ingress-nginx', 'ingress-nginx-controller', 'Deployment', 2],
  ['argocd', 'argocd-application-controller', 'StatefulSet', 1],
  ['argocd', 'argocd-repo-server', 'Deployment', 1],
  ['kube-system', 'coredns', 'Deployment', 2],
  ['kube-system', 'metrics-server', 'Deployment', 1],
  ['backup', 'velero', 'Deployment', 1],
];

export function buildCluster(rng: Rng): Cluster {
  const region = rng.pick(['eu-west-1', 'us-east-2', 'ap-southeast-2']);
  const nodes: Node[] = [];
  const nodeCount = rng.int(6, 10);
  for (let i = 0; i < nodeCount; i++) {
    const ip = `10.0.${rng.int(1, 3) * 16 + rng.int(0, 15)}.${rng.int(2, 250)}`;
    nodes.push({ name: `ip-${ip.replaceAll('.', '-')}.${region}.compute.internal`, ip });
  }
  let podNet = 0;
  const workloads: Workload[] = APPS.map(([namespace, name, kind, replicas]) => {
    const hash = rng.suffix(9) + rng.int(0, 9);
    const pods = Array.from({ length: replicas }, (_, i) => {
      const node = rng.pick(nodes);
      podNet++;
      const podName = kind === 'StatefulSet' ? `${name}-${i}` : `${name}-${hash}-${rng.suffix(5)}`;
      return { name: podName, ip: `10.244.${nodes.indexOf(node)}.${10 + podNet}`, node };
    });
    const sa = name.startsWith('argocd') ? name : name === 'coredns' ? 'coredns' : `${name}`;
    return { namespace, name, kind, serviceAccount: sa, pods, configmaps: [`${name}-config`, 'kube-root-ca.crt'], secrets: [`${name}-tls`, `${name}-credentials`] };
  });
  const office = `198.51.100.${rng.int(10, 60)}`;
  const vpn = (): string => `100.64.${rng.int(0, 15)}.${rng.int(2, 250)}`;
  const person = (name: string, group: string, namespaces: string[], activity: number): Human => ({
    user: { username: `${name}@example.com`, groups: [`oidc:${group}`, 'system:authenticated'] },
    ips: [office, vpn()],
    tz: rng.pick([0, 1, 1, 2]),
    namespaces,
    activity,
  });
  const name = `${rng.pick(['prod', 'shop', 'core'])}-${rng.pick(['eu', 'us', 'ap'])}-${rng.int(1, 4)}`;
  return {
    name,
    version: 'v1.29.4',
    uaTail: '(linux/amd64) kubernetes/55019c8',
    controlPlaneIP: `10.0.0.${rng.int(10, 30)}`,
    nodes,
    namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...new Set(APPS.map((a) => a[0]))],
    workloads,
    humans: [
      person('alice', 'sre', ['web', 'payments', 'data', 'monitoring', 'kube-system'], 4),
      person('bob', 'developers', ['web'], 3),
      person('carol', 'developers', ['payments', 'data'], 2.5),
      person('dave', 'sre', ['monitoring', 'ingress-nginx', 'argocd', 'kube-system'], 2),
    ],
    ciIPs: [`203.0.113.${rng.int(10, 40)}`, `203.0.113.${rng.int(41, 80)}`],
    gitopsNamespace: 'argocd',
    gcpProject: `acme-${name}-${rng.int(100000, 999999)}`,
    gcpLocation: region === 'eu-west-1' ? 'europe-west1' : region === 'us-east-2' ? 'us-east4' : 'australia-southeast1',
    azureResourceId: `/SUBSCRIPTIONS/${rng.uuid().toUpperCase()}/RESOURCEGROUPS/RG-${name.toUpperCase()}/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/${name.toUpperCase()}`,
    awsRegion: region,
  };
}

export function workload(c: Cluster, name: string): Workload {
  const w = c.workloads.find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name}`);
  return w;
}
