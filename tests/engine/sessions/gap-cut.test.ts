import { describe, expect, it } from 'vitest';
import { gapSessionGraphs } from '../../../src/engine/sessions/gap-cut.ts';
import { buildGraph } from '../../../src/engine/sessions/graph.ts';
import { ACTOR, NODE_TYPES } from '../../../src/engine/sessions/presets.ts';
import { imagesOf, registryOf, rolesOf, subjectsOf } from '../../../src/engine/sessions/spec.ts';
import { event } from './synth.ts';

const MIN = 60e6;
const T0 = 1_700_000_000_000_000;
const GAP = 30 * MIN;
const SPAN = 60 * MIN;
const cut = (evs: ReturnType<typeof event>[]) => [...gapSessionGraphs(evs, ACTOR, GAP, SPAN)].sort((a, b) => a.startUs - b.startUs || a.partition.localeCompare(b.partition));

describe('actor sessions cut by gaps', () => {
  it('starts a new session after the actor is quiet for the gap, not at clock boundaries', () => {
    const evs = [0, 5, 20, 49, 51, 95].map((m, i) => event({ auditID: `a${i}`, timeUs: T0 + m * MIN }));
    const s = cut(evs);
    // 0..51 (gaps ≤ 29 min) is one session; 95 comes 44 min after 51.
    expect(s.map((g) => g.auditIDs)).toEqual([['a0', 'a1', 'a2', 'a3', 'a4'], ['a5']]);
    expect(s[0].startUs).toBe(T0);
    expect(s[0].endUs).toBe(T0 + 51 * MIN);
  });

  it('caps a session at the span so an always-on controller yields comparable sessions', () => {
    const evs = Array.from({ length: 150 }, (_, i) => event({ auditID: `c${String(i).padStart(3, '0')}`, timeUs: T0 + i * MIN, user: 'system:node:n1' }));
    const s = cut(evs);
    expect(s.map((g) => g.auditIDs.length)).toEqual([60, 60, 30]);
    for (const g of s) expect(g.endUs - g.startUs).toBeLessThan(SPAN);
  });

  it('keeps actors apart, and files an impersonated request under the identity acted as', () => {
    const evs = [
      event({ auditID: 'x1', timeUs: T0, user: 'alice@example.com' }),
      event({ auditID: 'x2', timeUs: T0 + MIN, user: 'bob@example.com' }),
      event({ auditID: 'x3', timeUs: T0 + 2 * MIN, user: 'alice@example.com', impersonatedUser: 'system:serviceaccount:ci:deployer' }),
    ];
    const s = cut(evs);
    expect(s.map((g) => [g.partition, g.auditIDs])).toEqual([
      ['*|alice@example.com', ['x1']],
      ['*|bob@example.com', ['x2']],
      ['*|system:serviceaccount:ci:deployer', ['x3']],
    ]);
    const imp = s[2];
    const label = (t: string) => imp.nodeLabels.filter((_, i) => NODE_TYPES[imp.nodeTypes[i]] === t);
    expect(label('user')).toEqual(['system:serviceaccount:ci:deployer']);
    expect(label('impersonator')).toEqual(['alice@example.com']);
  });

  it('closes idle sessions while streaming, and refuses events that go back in time', () => {
    const evs = [event({ auditID: 'p1', timeUs: T0, user: 'a' }), ...Array.from({ length: 40 }, (_, i) => event({ auditID: `q${i}`, timeUs: T0 + (i + 1) * 2 * MIN, user: 'b' }))];
    const it = gapSessionGraphs(evs, ACTOR, GAP, 10 * SPAN);
    // 'a' went quiet at T0: its session is yielded before the stream ends.
    expect(it.next().value?.auditIDs).toEqual(['p1']);
    expect(() => [...gapSessionGraphs([event({ auditID: 'z1', timeUs: T0 + MIN }), event({ auditID: 'z0', timeUs: T0 })], ACTOR, GAP, SPAN)]).toThrow(/time-ordered/);
  });
});

describe('what a write puts into the cluster', () => {
  const pod = event({
    auditID: 'w1', timeUs: T0, verb: 'create', resource: 'daemonsets', apiGroup: 'apps', namespace: 'kube-system',
    requestObject: { kind: 'DaemonSet', spec: { template: { spec: { initContainers: [{ image: 'busybox:1.36' }], containers: [{ image: 'ghcr.io/evil/miner:1.0' }, { image: 'registry.k8s.io/pause:3.9' }] } } } },
  });
  const binding = event({
    auditID: 'w2', timeUs: T0 + 1, verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io',
    requestObject: { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'helper', namespace: 'default' }, { kind: 'Group', name: 'system:masters' }] },
  });

  it('reads images from workload templates and resolves their registries', () => {
    expect(imagesOf(pod).sort()).toEqual(['busybox:1.36', 'ghcr.io/evil/miner:1.0', 'registry.k8s.io/pause:3.9']);
    expect(['nginx', 'library/nginx:1', 'ghcr.io/a/b', 'localhost/x', 'my-reg:5000/x'].map(registryOf)).toEqual(['docker.io', 'docker.io', 'ghcr.io', 'localhost', 'my-reg:5000']);
    expect(imagesOf(event({ auditID: 'n', timeUs: T0, requestObject: 'not an object' }))).toEqual([]);
  });

  it('reads subjects and roles from RBAC writes', () => {
    expect(subjectsOf(binding)).toEqual(['ServiceAccount:default/helper', 'Group:system:masters']);
    expect(rolesOf(binding)).toEqual(['ClusterRole:cluster-admin']);
    expect(rolesOf(event({ auditID: 'r', timeUs: T0, verb: 'create', resource: 'roles', name: 'pod-reader' }))).toEqual(['Role:pod-reader']);
  });

  it('puts them into the actor graph, with images tied to their registry', () => {
    const g = buildGraph(ACTOR, GAP, T0, 'p', [pod, binding]);
    const types = new Set([...g.nodeTypes].map((t) => NODE_TYPES[t]));
    for (const t of ['image', 'registry', 'subject', 'role']) expect(types.has(t as (typeof NODE_TYPES)[number])).toBe(true);
    const id = (t: string, l: string) => g.nodeLabels.findIndex((x, i) => x === l && NODE_TYPES[g.nodeTypes[i]] === t);
    const a = id('image', 'ghcr.io/evil/miner:1.0');
    const b = id('registry', 'ghcr.io');
    expect([...g.src].some((s, i) => (s === Math.min(a, b) && g.dst[i] === Math.max(a, b)))).toBe(true);
  });
});
