import type { Call, ObjectRef, Recorder, UserInfo } from './audit.ts';
import { saUser, type Cluster, type Node } from './cluster.ts';
import { crbReason, podBody, type PodOptions } from './objects.ts';
import type { Rng } from './prng.ts';
import { DAY_US, HOUR_US } from './time.ts';

export type Label = 'malicious' | 'benign';

/** A red-team (or benign-anomaly) story, played once at a time the seed picks. */
export interface ScenarioDef {
  id: string;
  label: Label;
  techniques: string[];
  description: string;
  /** When it may happen: any time, at night in the actor's zone, or in working hours. */
  when: 'any' | 'night' | 'work';
  play(s: Play): void;
}

/** What a scenario writes with: a clock it advances and a call that remembers what it did. */
export class Play {
  readonly auditIDs: string[] = [];
  readonly actors = new Set<string>();
  readonly ips = new Set<string>();
  first = Infinity;
  last = -Infinity;
  /** When the latest `call` was made: what the control plane reacts to, before the clock moved on. */
  lastCall = NaN;

  constructor(
    readonly c: Cluster,
    readonly rng: Rng,
    private readonly rec: Recorder,
    public t: number,
  ) {}

  /** Moves the clock on by a random gap in seconds. */
  wait(minS: number, maxS: number): void {
    this.t += this.rng.int(minS * 1000, maxS * 1000) * 1000;
  }

  call(c: Omit<Call, 't'>): string {
    const id = this.rec.call({ ...c, t: this.t });
    this.auditIDs.push(id);
    if (c.user.username) this.actors.add(c.user.username);
    this.ips.add(c.ip);
    this.first = Math.min(this.first, this.t);
    this.last = Math.max(this.last, this.t + (c.latencyUs ?? 10_000));
    this.lastCall = this.t;
    this.wait(0.2, 4);
    return id;
  }

  /**
   * A request the control plane makes because of what the scenario did (the ReplicaSet
   * controller starting the attacker's pods, the garbage collector removing what was deleted),
   * at `c.t`, without moving the clock. Its auditID is evidence of the incident and goes in the
   * ground truth; its identity and address do not: naming a controller an actor would let any
   * finding about that controller in the window match the scenario.
   */
  consequence(c: Call): string {
    const id = this.rec.call(c);
    this.auditIDs.push(id);
    this.first = Math.min(this.first, c.t);
    this.last = Math.max(this.last, c.t + (c.latencyUs ?? 10_000));
    return id;
  }
}

/** Start time for a scenario inside [startUs, endUs): away from the edges, honouring `when`. */
export function pickTime(rng: Rng, when: ScenarioDef['when'], startUs: number, endUs: number): number {
  const span = endUs - startUs;
  const lo = startUs + Math.min(span * 0.1, 2 * HOUR_US);
  const hi = endUs - Math.min(span * 0.1, 2 * HOUR_US) - HOUR_US;
  if (when === 'any') return lo + Math.floor(rng.next() * Math.max(1, hi - lo));
  for (let i = 0; i < 200; i++) {
    const t = lo + Math.floor(rng.next() * Math.max(1, hi - lo));
    const h = ((t % DAY_US) + DAY_US) % DAY_US / HOUR_US;
    const weekday = new Date(Math.floor(t / 1000)).getUTCDay() % 6 !== 0;
    if (when === 'night' ? h >= 1 && h < 4.5 : weekday && h >= 9 && h < 16.5) return t;
  }
  return lo + Math.floor(rng.next() * Math.max(1, hi - lo));
}

export const KUBECTL_OLD = 'kubectl/v1.27.3 (linux/amd64) kubernetes/25b4e43';

export interface PodSet {
  namespace: string;
  /** Who owns the pods, as their ownerReferences name it. */
  ownerKind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
  ownerName: string;
  serviceAccount: string;
  image: string;
  /** Ignored for a DaemonSet: one pod per node. */
  replicas: number;
  pod?: PodOptions;
}

const CONTROLLER_OF: Record<PodSet['ownerKind'], string> = { ReplicaSet: 'replicaset-controller', StatefulSet: 'statefulset-controller', DaemonSet: 'daemon-set-controller' };

/** A kube-controller-manager controller's identity, user agent and RBAC reason, as benign-infra writes them. */
export function controller(c: Cluster, name: string): { user: UserInfo; ip: string; ua: string; reason: string } {
  return {
    user: saUser('kube-system', name),
    ip: c.controlPlaneIP,
    ua: `kube-controller-manager/${c.version} ${c.uaTail}/system:serviceaccount:kube-system:${name}`,
    reason: crbReason(`system:controller:${name}`, `system:controller:${name}`, 'ServiceAccount', `${name}/kube-system`),
  };
}

/**
 * The pods a controller starts for a workload the scenario created or restarted, from `at`: the
 * pod create with its body, the scheduler's binding and the kubelet's first status patch, as
 * `rollout` in benign-apps writes them. Returns the pods.
 */
export function startPods(s: Play, at: number, set: PodSet): { name: string; ip: string; node: Node }[] {
  const c = s.c;
  const ctl = controller(c, CONTROLLER_OF[set.ownerKind]);
  const nodes = set.ownerKind === 'DaemonSet' ? c.nodes : Array.from({ length: set.replicas }, () => s.rng.pick(c.nodes));
  const pods = nodes.map((node, i) => ({
    name: set.ownerKind === 'StatefulSet' ? `${set.ownerName}-${i}` : `${set.ownerName}-${s.rng.suffix(5)}`,
    ip: set.pod?.hostNetwork ? node.ip : `10.244.${c.nodes.indexOf(node)}.${s.rng.int(2, 250)}`,
    node,
  }));
  const sched = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
  for (const p of pods) {
    at += s.rng.int(20_000, 400_000);
    const body = podBody(set.namespace, p.name, set.image, { ...set.pod, serviceAccount: set.serviceAccount, ownerKind: set.ownerKind, ownerName: set.ownerName, nodeName: set.ownerKind === 'DaemonSet' ? p.node.name : undefined });
    s.consequence({ t: at, verb: 'create', user: ctl.user, ip: ctl.ip, ua: ctl.ua, ref: { resource: 'pods', namespace: set.namespace, apiVersion: 'v1' }, reqObj: body, received: true, reason: ctl.reason, extraAnnotations: { 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' } });
    if (set.ownerKind !== 'DaemonSet') {
      const binding = { kind: 'Binding', apiVersion: 'v1', metadata: { name: p.name, namespace: set.namespace }, target: { kind: 'Node', name: p.node.name } };
      s.consequence({ t: at + s.rng.int(2000, 60_000), verb: 'create', user: sched, ip: c.controlPlaneIP, ua: `kube-scheduler/${c.version} ${c.uaTail}/scheduler`, ref: { resource: 'pods', namespace: set.namespace, name: p.name, apiVersion: 'v1', subresource: 'binding' }, reqObj: binding, reason: crbReason('system:kube-scheduler', 'system:kube-scheduler', 'User', 'system:kube-scheduler') });
    }
    const kubelet = { username: `system:node:${p.node.name}`, groups: ['system:nodes', 'system:authenticated'] };
    s.consequence({ t: at + s.rng.int(1_000_000, 8_000_000), verb: 'patch', user: kubelet, ip: p.node.ip, ua: `kubelet/${c.version} ${c.uaTail}`, ref: { resource: 'pods', namespace: set.namespace, name: p.name, apiVersion: 'v1', subresource: 'status' } });
  }
  return pods;
}

/** The deployment controller creating the ReplicaSet of a Deployment the scenario created or changed, at `at`. Returns its name. */
export function newReplicaSet(s: Play, at: number, namespace: string, deployment: string, template?: unknown): string {
  const ctl = controller(s.c, 'deployment-controller');
  const rs = `${deployment}-${s.rng.suffix(9)}${s.rng.int(0, 9)}`;
  const metadata = { name: rs, namespace, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, controller: true, blockOwnerDeletion: true }] };
  const body = template === undefined ? { kind: 'ReplicaSet', apiVersion: 'apps/v1', metadata } : { kind: 'ReplicaSet', apiVersion: 'apps/v1', metadata, spec: { template } };
  s.consequence({ t: at, verb: 'create', user: ctl.user, ip: ctl.ip, ua: ctl.ua, ref: { resource: 'replicasets', namespace, apiGroup: 'apps', apiVersion: 'v1' }, reqObj: body, reason: ctl.reason });
  return rs;
}

/** The garbage collector deleting what a deleted owner left behind (background propagation), from `at`. */
export function collectGarbage(s: Play, at: number, refs: ObjectRef[]): void {
  const gc = controller(s.c, 'generic-garbage-collector');
  for (const ref of refs) {
    at += s.rng.int(30_000, 900_000);
    s.consequence({ t: at, verb: 'delete', user: gc.user, ip: gc.ip, ua: gc.ua, ref, reason: gc.reason });
  }
}

/** The kubectl the cluster's people and its CI use (benign-people, benign-apps). */
export const KUBECTL_PEOPLE = 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819';
