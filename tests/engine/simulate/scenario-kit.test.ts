import { describe, expect, it } from 'vitest';
import { Recorder, type SimEvent } from '../../../src/engine/simulate/audit.ts';
import { buildCluster, saUser } from '../../../src/engine/simulate/cluster.ts';
import { Rng } from '../../../src/engine/simulate/prng.ts';
import { collectGarbage, newReplicaSet, Play, startPods } from '../../../src/engine/simulate/scenario-kit.ts';

const T0 = Date.parse('2024-03-04T10:00:00Z') * 1000;

function play(): { s: Play; out: SimEvent[] } {
  const rng = new Rng('kit');
  const out: SimEvent[] = [];
  return { s: new Play(buildCluster(rng.fork('cluster')), rng, new Recorder(rng.fork('ids'), (e) => out.push(e)), T0), out };
}

describe('Play', () => {
  it('a consequence is evidence (auditID, time span) but names no actor or address and leaves the clock alone', () => {
    const { s, out } = play();
    const dev = { username: 'carol@example.com', groups: ['oidc:developers', 'system:authenticated'] };
    s.call({ verb: 'create', user: dev, ip: '198.51.100.20', ua: 'kubectl', ref: { resource: 'deployments', namespace: 'data', apiGroup: 'apps', apiVersion: 'v1' } });
    expect(s.lastCall).toBe(T0);
    const clock = s.t;
    const rs = newReplicaSet(s, s.lastCall + 30_000, 'data', 'redis-exporter');
    expect(rs).toMatch(/^redis-exporter-[a-z0-9]{10}$/);
    const pods = startPods(s, s.lastCall + 100_000, { namespace: 'data', ownerKind: 'ReplicaSet', ownerName: rs, serviceAccount: 'default', image: 'ghcr.io/x/y:1', replicas: 2 });
    collectGarbage(s, clock + 60_000_000, pods.map((p) => ({ resource: 'pods', namespace: 'data', name: p.name, apiVersion: 'v1' })));
    expect(s.t).toBe(clock);
    expect([...s.actors]).toEqual(['carol@example.com']);
    expect([...s.ips]).toEqual(['198.51.100.20']);
    // 1 call + ReplicaSet + 2 × (pod, binding, status) + 2 deletes.
    expect(s.auditIDs.length).toBe(10);
    expect(new Set(out.map((e) => (JSON.parse(e.line) as { auditID: string }).auditID))).toEqual(new Set(s.auditIDs));
    expect(s.last).toBeGreaterThan(clock + 60_000_000);
    const users = new Set(out.map((e) => (JSON.parse(e.line) as { user: { username: string } }).user.username));
    expect(users.has(saUser('kube-system', 'replicaset-controller').username!)).toBe(true);
    expect(users.has(saUser('kube-system', 'generic-garbage-collector').username!)).toBe(true);
  });

  it('a DaemonSet gets one pod per node, each pinned to its node, without scheduler bindings', () => {
    const { s, out } = play();
    const pods = startPods(s, T0, { namespace: 'falco', ownerKind: 'DaemonSet', ownerName: 'falco', serviceAccount: 'falco', image: 'docker.io/falcosecurity/falco:0.37.1', replicas: 1 });
    expect(pods.map((p) => p.node)).toEqual(s.c.nodes);
    const lines = out.map((e) => JSON.parse(e.line) as { stage: string; objectRef: { subresource?: string }; requestObject?: { spec?: { nodeName?: string } } }).filter((l) => l.stage === 'ResponseComplete');
    expect(lines.some((l) => l.objectRef.subresource === 'binding')).toBe(false);
    expect(lines.filter((l) => l.requestObject?.spec?.nodeName).map((l) => l.requestObject!.spec!.nodeName)).toEqual(s.c.nodes.map((n) => n.name));
  });
});
