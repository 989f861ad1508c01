import { describe, expect, it } from 'vitest';
import { baselineSignals, buildBaselines } from '../../../src/engine/hunt/actor-baseline.ts';
import { peerGroupOf } from '../../../src/engine/hunt/peers.ts';
import { sensitiveTarget, sourceKey } from '../../../src/engine/hunt/targets.ts';
import type { HuntSession } from '../../../src/engine/hunt/types.ts';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { event } from '../sessions/synth.ts';

const H = 3600e6;
const T0 = 1_700_000_000_000_000;

/** One session per (actor, hour): enough structure for the baseline, none of the cut's logic. */
function sessionsOf(evs: AuditEvent[]): HuntSession[] {
  const by = new Map<string, HuntSession>();
  let id = 0;
  for (const e of evs) {
    const key = `${e.user}|${Math.floor((e.timeUs - T0) / H)}`;
    let s = by.get(key);
    if (!s) by.set(key, (s = { id: ++id, startUs: e.timeUs, endUs: e.timeUs, auditIDs: [], actor: e.user }));
    s.auditIDs.push(e.auditID);
    s.endUs = e.timeUs;
  }
  return [...by.values()];
}

let n = 0;
const ev = (hour: number, over: Partial<AuditEvent>): AuditEvent => event({ auditID: `e${++n}`, timeUs: T0 + hour * H + (n % 1000) * 1e6, ...over });

/** Alice and Bob read pods in 'shop' every hour for two days; what we add on day 3 is judged against that. */
function habit(): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (let h = 0; h < 48; h++) {
    for (const user of ['alice@example.com', 'bob@example.com']) {
      out.push(ev(h, { user, verb: 'list', resource: 'pods', namespace: 'shop', sourceIPs: [user.startsWith('a') ? '192.168.1.10' : '192.168.1.11'] }));
      out.push(ev(h, { user, verb: 'get', resource: 'pods', namespace: 'shop', name: 'web-1', sourceIPs: [user.startsWith('a') ? '192.168.1.10' : '192.168.1.11'] }));
    }
  }
  return out;
}

const signalsOf = (evs: AuditEvent[], user: string, hour: number) => {
  const sorted = [...evs].sort((a, b) => a.timeUs - b.timeUs);
  const sessions = sessionsOf(sorted);
  const b = buildBaselines(sessions, sorted, { baselineEndUs: T0 + 6 * H });
  const s = sessions.find((x) => x.actor === user && x.startUs >= T0 + hour * H && x.startUs < T0 + (hour + 1) * H)!;
  return { baseline: b.get(s.id)!, signals: baselineSignals(b.get(s.id)!) };
};

describe('actor baselines', () => {
  it('says nothing about an actor doing what it always does', () => {
    const { signals } = signalsOf(habit(), 'alice@example.com', 40);
    expect(signals).toEqual([]);
  });

  it('tells what is new to the actor from what is new to its peers and to the case', () => {
    const evs = habit();
    // Bob has read secrets in 'shop' before; Alice never has. Nobody ever wrote to kube-system.
    evs.push(ev(10, { user: 'bob@example.com', verb: 'get', resource: 'secrets', namespace: 'shop', name: 'db' }));
    evs.push(ev(50, { user: 'alice@example.com', verb: 'get', resource: 'secrets', namespace: 'shop', name: 'db', sourceIPs: ['192.168.1.10'] }));
    evs.push(ev(50, { user: 'alice@example.com', verb: 'patch', resource: 'configmaps', namespace: 'kube-system', name: 'coredns', sourceIPs: ['192.168.1.10'] }));
    const { baseline, signals } = signalsOf(evs, 'alice@example.com', 50);
    const touch = (kind: string, value: string) => baseline.touches.find((t) => t.kind === kind && t.value === value);
    expect(touch('action', 'get secrets')?.scope).toBe('actor');
    expect(touch('sensitive', 'write kube-system')?.scope).toBe('case');
    expect(touch('write-namespace', 'kube-system')?.scope).toBe('case');
    const kinds = signals.map((s) => s.reason.kind);
    expect(kinds).toContain('new-sensitive');
    // Every signal cites the events behind it.
    for (const s of signals) expect(s.reason.auditIDs.length).toBeGreaterThan(0);
    const sens = signals.find((s) => s.reason.kind === 'new-sensitive')!;
    expect(sens.reason.techniques).toContain('T1543.005');
  });

  it('judges a first-time identity against its peers, not against its own empty past', () => {
    const evs = habit();
    // carol is new on day 3: reading pods in shop is what people do; exec into a pod in 'vault' is not.
    evs.push(ev(60, { user: 'carol@example.com', verb: 'list', resource: 'pods', namespace: 'shop' }));
    evs.push(ev(60, { user: 'carol@example.com', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'vault', name: 'vault-0' }));
    const { baseline, signals } = signalsOf(evs, 'carol@example.com', 60);
    expect(baseline.newcomer).toBe(true);
    expect(baseline.touches.some((t) => t.value === 'list pods')).toBe(false);
    expect(baseline.touches.some((t) => t.value === 'create pods/exec')).toBe(true);
    expect(signals[0].reason.kind === 'new-identity' || signals.some((s) => s.reason.kind === 'new-identity')).toBe(true);
  });

  it('flags a burst of deletes against the actor’s own most, and refusals against its usual', () => {
    const evs = habit();
    for (let i = 0; i < 8; i++) evs.push(ev(55, { user: 'bob@example.com', verb: 'delete', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: `d${i}` }));
    for (let i = 0; i < 4; i++) evs.push(ev(56, { user: 'alice@example.com', verb: 'list', resource: 'secrets', namespace: `ns${i}`, responseCode: 403, decision: 'forbid' }));
    const bob = signalsOf(evs, 'bob@example.com', 55).signals.map((s) => s.reason.kind);
    expect(bob).toContain('destructive-burst');
    const alice = signalsOf(evs, 'alice@example.com', 56);
    expect(alice.signals.map((s) => s.reason.kind)).toContain('refused-burst');
    // A refused request touched nothing: it is not a new namespace or action.
    expect(alice.baseline.touches.filter((t) => t.value.startsWith('ns'))).toEqual([]);
  });

  it('flags a workload identity calling from a public address when its past was all in-cluster', () => {
    const evs: AuditEvent[] = [];
    const sa = 'system:serviceaccount:shop:api';
    for (let h = 0; h < 48; h++) evs.push(ev(h, { user: sa, verb: 'get', resource: 'configmaps', namespace: 'shop', sourceIPs: [`10.244.1.${10 + (h % 5)}`] }));
    evs.push(ev(49, { user: sa, verb: 'get', resource: 'configmaps', namespace: 'shop', sourceIPs: ['203.0.113.50'] }));
    const { signals } = signalsOf(evs, sa, 49);
    expect(signals.map((s) => s.reason.kind)).toContain('external-source');
    // A pod restarting inside its node's range is no new address.
    const quiet = signalsOf(evs, sa, 40).signals;
    expect(quiet.map((s) => s.reason.kind)).not.toContain('new-source');
  });
});

describe('peer groups and targets', () => {
  it('groups identities the way Kubernetes names them', () => {
    expect(peerGroupOf('alice@example.com')).toBe('people');
    expect(peerGroupOf('system:node:ip-10-0-1-5')).toBe('nodes');
    expect(peerGroupOf('system:kube-controller-manager')).toBe('controllers');
    expect(peerGroupOf('system:serviceaccount:kube-system:replicaset-controller')).toBe('controllers');
    expect(peerGroupOf('system:serviceaccount:payments:api')).toBe('service-accounts:payments');
    expect(peerGroupOf('system:anonymous')).toBe('anonymous');
  });

  it('names sensitive targets by kind, and keeps private addresses as their range', () => {
    const t = (o: Partial<AuditEvent>) => sensitiveTarget(event({ auditID: 'x', timeUs: T0, ...o }));
    expect(t({ verb: 'delete', resource: 'daemonsets', namespace: 'falco', name: 'falco' })).toBe('security tooling');
    expect(t({ verb: 'create', resource: 'clusterrolebindings' })).toBe('RBAC');
    expect(t({ verb: 'list', resource: 'pods', namespace: 'kube-system' })).toBeNull();
    expect(t({ verb: 'get', resource: 'secrets', namespace: 'shop' })).toBe('secrets');
    expect(sourceKey('10.244.3.17')).toBe('10.244.3.0/24');
    expect(sourceKey('203.0.113.9')).toBe('203.0.113.9');
  });
});
