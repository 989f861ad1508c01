import type { SessionGraphView } from '../../../shared/contract.ts';

type GraphNode = SessionGraphView['nodes'][number];
type GraphEdge = SessionGraphView['edges'][number];

/**
 * Objects that stand out (new to the case, or weighing more than the typical object) stay drawn
 * one by one, up to this many: what the hunt points at must not hide inside a group.
 */
const MAX_STANDOUTS = 40;

/** Request objects of one resource, drawn as one node until the analyst opens it. */
export interface ObjectGroup {
  /** Not a number, so never a node id. */
  id: string;
  /** The resource node every member is linked to; null for objects without one (non-resource URLs). */
  resource: string | null;
  label: string;
  members: string[];
}

/** A node as drawn: a session node, or a group standing for `members` objects. */
export type ViewNode = GraphNode & { members?: number };

export interface GraphView {
  nodes: ViewNode[];
  edges: GraphEdge[];
}

/**
 * Groups a session's request objects by the resource they belong to. A one-actor sweep over 2,000
 * objects is ~2,000 near-identical leaves tied to the same dozen hubs by ~10,000 edges: Cytoscape
 * needs over a second to first draw them, and the picture is a disc of overlapping lines. One node
 * per resource ("398 configmaps objects") with its summed edges says the same thing (what was
 * swept, from where, with what outcome, how much) in a picture that draws at once.
 * Groups of one are left alone.
 */
export function objectGroups(graph: Pick<SessionGraphView, 'nodes' | 'edges'>): ObjectGroup[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const resourceOf = new Map<string, string>();
  for (const e of graph.edges) {
    const [a, b] = [byId.get(e.source), byId.get(e.target)];
    if (a?.type === 'object' && b?.type === 'resource' && !resourceOf.has(a.id)) resourceOf.set(a.id, b.id);
    if (b?.type === 'object' && a?.type === 'resource' && !resourceOf.has(b.id)) resourceOf.set(b.id, a.id);
  }
  const objects = graph.nodes.filter((n) => n.type === 'object');
  const weights = objects.map((n) => Math.abs(n.attribution)).sort((x, y) => x - y);
  const typical = weights[Math.floor(weights.length / 2)] ?? 0;
  const standouts = new Set(
    objects
      .filter((n) => n.isNew || Math.abs(n.attribution) > typical)
      .sort((x, y) => Number(y.isNew) - Number(x.isNew) || Math.abs(y.attribution) - Math.abs(x.attribution))
      .slice(0, MAX_STANDOUTS)
      .map((n) => n.id),
  );
  const buckets = new Map<string | null, string[]>();
  for (const n of objects) {
    if (standouts.has(n.id)) continue;
    const key = resourceOf.get(n.id) ?? null;
    const list = buckets.get(key);
    if (list) list.push(n.id);
    else buckets.set(key, [n.id]);
  }
  return [...buckets]
    .filter(([, members]) => members.length > 1)
    .map(([resource, members]) => ({
      id: `objects-of-${resource ?? 'none'}`,
      resource,
      label: `${members.length.toLocaleString('en-US')} ${resource === null ? 'non-resource' : (byId.get(resource)?.label ?? resource)} objects`,
      members,
    }));
}

/**
 * The graph as drawn with the groups not in `open` folded: each folded group is one node, and
 * its members' edges to a neighbour become one edge whose weight is their sum.
 */
export function groupedView(graph: Pick<SessionGraphView, 'nodes' | 'edges'>, groups: readonly ObjectGroup[], open: ReadonlySet<string>): GraphView {
  const folded = groups.filter((g) => !open.has(g.id));
  if (folded.length === 0) return { nodes: graph.nodes, edges: graph.edges };
  const groupOf = new Map<string, string>();
  for (const g of folded) for (const m of g.members) groupOf.set(m, g.id);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: ViewNode[] = graph.nodes.filter((n) => !groupOf.has(n.id));
  for (const g of folded) {
    const members = g.members.map((m) => byId.get(m)).filter((n): n is GraphNode => n !== undefined);
    nodes.push({
      id: g.id,
      type: 'object',
      label: g.label,
      events: members.reduce((s, n) => s + n.events, 0),
      attribution: members.reduce((s, n) => s + n.attribution, 0),
      isNew: false,
      members: members.length,
    });
  }
  const edges: GraphEdge[] = [];
  const merged = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    const source = groupOf.get(e.source) ?? e.source;
    const target = groupOf.get(e.target) ?? e.target;
    if (source === e.source && target === e.target) {
      edges.push(e);
      continue;
    }
    if (source === target) continue;
    // Session edges are undirected (stored low id first): one merged edge per pair, whichever way round.
    const key = source < target ? `${source}\u0000${target}` : `${target}\u0000${source}`;
    const seen = merged.get(key);
    if (seen) seen.weight += e.weight;
    else merged.set(key, { source, target, weight: e.weight });
  }
  edges.push(...merged.values());
  return { nodes, edges };
}
