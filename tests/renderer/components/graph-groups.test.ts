import { describe, expect, it } from 'vitest';
import type { SessionGraphView } from '../../../src/shared/contract.ts';
import { groupedView, objectGroups } from '../../../src/renderer/src/components/graph-groups.ts';

type Node = SessionGraphView['nodes'][number];

// A sweep like bench/graph.ts's, small: one IP and one decision tie 60 configmaps and 30 secrets
// objects together; one secret is new to the case, one configmap drove the score, one pod is alone
// and one non-resource path (/healthz) has no resource node.
const hubs: Node[] = [
  { id: '0', type: 'ip', label: '10.0.0.9', events: 92, attribution: 0, isNew: false },
  { id: '1', type: 'decision', label: 'allow', events: 92, attribution: 0, isNew: false },
  { id: '2', type: 'resource', label: 'configmaps', events: 60, attribution: 0, isNew: false },
  { id: '3', type: 'resource', label: 'secrets', events: 30, attribution: 0, isNew: false },
  { id: '4', type: 'resource', label: 'pods', events: 1, attribution: 0, isNew: false },
];
const objects: { node: Node; resource: string | null }[] = [];
for (let i = 0; i < 92; i++) {
  const resource = i < 60 ? '2' : i < 90 ? '3' : i === 90 ? '4' : null;
  objects.push({
    resource,
    node: { id: String(10 + i), type: 'object', label: `/api/v1/x/${i}`, events: 1, attribution: i === 7 ? 0.4 : 0, isNew: i === 70 },
  });
}
const edges: SessionGraphView['edges'] = objects.flatMap(({ node, resource }, i) => [
  // Stored low id first, as the store does: the hubs' ids are lower, so the object is the target.
  { source: '0', target: node.id, weight: 1 + (i % 3) },
  { source: '1', target: node.id, weight: 1 },
  ...(resource === null ? [] : [{ source: resource, target: node.id, weight: 1 }]),
]);
// One edge the other way round, as an object with a lower id than its hub would store it.
edges.push({ source: '13', target: '0', weight: 5 });
edges.push({ source: '0', target: '1', weight: 92 });
const graph = { nodes: [...hubs, ...objects.map((o) => o.node)], edges };
const totalWeight = (es: readonly { weight: number }[]): number => es.reduce((s, e) => s + e.weight, 0);

describe('objectGroups', () => {
  const groups = objectGroups(graph);

  it('groups objects by their resource, leaving out what stands out and groups of one', () => {
    expect(groups.map((g) => [g.resource, g.members.length, g.label])).toEqual([
      ['2', 59, '59 configmaps objects'],
      ['3', 29, '29 secrets objects'],
    ]);
    const grouped = new Set(groups.flatMap((g) => g.members));
    // The object that drove the score and the one new to the case stay drawn; so do the lone pod and /healthz.
    for (const id of ['17', '80', '100', '101']) expect(grouped.has(id)).toBe(false);
  });

  it('names groups apart from every node', () => {
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const g of groups) expect(ids.has(g.id)).toBe(false);
  });

  it('has nothing to group in a graph without objects', () => {
    expect(objectGroups({ nodes: hubs, edges: [] })).toEqual([]);
  });
});

describe('groupedView', () => {
  const groups = objectGroups(graph);

  it('draws a folded group as one node with one summed edge per neighbour, keeping the total weight', () => {
    const view = groupedView(graph, groups, new Set());
    expect(view.nodes.length).toBe(graph.nodes.length - 88 + 2);
    const configmaps = view.nodes.find((n) => n.id === groups[0].id)!;
    expect(configmaps).toMatchObject({ type: 'object', members: 59, events: 59, isNew: false });
    const toIp = view.edges.filter((e) => [e.source, e.target].includes(groups[0].id) && [e.source, e.target].includes('0'));
    // Both orientations of member ↔ IP edges fold into one: 59 members, weights 1..3 by index, and 5 for object 13.
    const expected = objects.filter((o) => groups[0].members.includes(o.node.id)).reduce((s, o) => s + 1 + (Number(o.node.id) - 10) % 3, 0) + 5;
    expect(toIp.map((e) => e.weight)).toEqual([expected]);
    expect(totalWeight(view.edges)).toBe(totalWeight(graph.edges));
    const ids = new Set(view.nodes.map((n) => n.id));
    for (const e of view.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
  });

  it('draws an opened group as its members with their own edges, and everything when all are open', () => {
    const view = groupedView(graph, groups, new Set([groups[1].id]));
    expect(view.nodes.some((n) => n.id === groups[1].id)).toBe(false);
    for (const m of groups[1].members) expect(view.nodes.some((n) => n.id === m)).toBe(true);
    expect(view.edges.filter((e) => e.target === groups[1].members[0])).toEqual(graph.edges.filter((e) => e.target === groups[1].members[0]));
    expect(groupedView(graph, groups, new Set(groups.map((g) => g.id)))).toEqual({ nodes: graph.nodes, edges: graph.edges });
  });
});
