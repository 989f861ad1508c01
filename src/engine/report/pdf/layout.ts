import type { GraphEdge, GraphNode, HuntGraph } from '../../hunt/types.ts';

/** Column order: who → as whom → what → outcome, so a session reads left to right. */
export const TYPE_ORDER = ['ip', 'agent', 'user', 'group', 'namespace', 'resource', 'subresource', 'object', 'decision', 'code'];

export const TYPE_COLOURS: Record<string, string> = {
  ip: '#1f77b4', agent: '#17becf', user: '#2ca02c', group: '#98df8a', namespace: '#9467bd',
  resource: '#ff7f0e', subresource: '#ffbb78', object: '#8c564b', decision: '#d62728', code: '#7f7f7f',
};
export const colourOf = (type: string): string => TYPE_COLOURS[type] ?? '#444444';

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: GraphEdge[];
  /** Nodes per type not drawn for lack of room, to say so on the figure. */
  hidden: Map<string, number>;
  columns: { type: string; x: number }[];
}

/**
 * A deterministic layered layout in a width × height box: one column per node type in TYPE_ORDER
 * (unknown types after, alphabetically), nodes in a column sorted by degree then label, at most
 * `perColumn` per column (the busiest). The same graph always gives the same figure.
 */
export function layoutGraph(graph: HuntGraph, width: number, height: number, perColumn = 12): GraphLayout {
  const degree = new Map<string, number>();
  for (const e of graph.edges) {
    degree.set(String(e.src), (degree.get(String(e.src)) ?? 0) + e.weight);
    degree.set(String(e.dst), (degree.get(String(e.dst)) ?? 0) + e.weight);
  }
  const byType = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) byType.set(n.type, [...(byType.get(n.type) ?? []), n]);
  const types = [...byType.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const colW = width / Math.max(1, types.length);
  const placed: PlacedNode[] = [];
  const hidden = new Map<string, number>();
  const columns: { type: string; x: number }[] = [];
  types.forEach((type, c) => {
    const nodes = [...byType.get(type)!].sort((a, b) => (degree.get(String(b.id)) ?? 0) - (degree.get(String(a.id)) ?? 0) || a.label.localeCompare(b.label));
    const shown = nodes.slice(0, perColumn);
    if (nodes.length > shown.length) hidden.set(type, nodes.length - shown.length);
    const x = colW * (c + 0.5);
    columns.push({ type, x });
    const step = height / (shown.length + 1);
    shown.forEach((n, i) => placed.push({ ...n, x, y: step * (i + 1) }));
  });
  const ids = new Set(placed.map((n) => String(n.id)));
  const edges = graph.edges.filter((e) => ids.has(String(e.src)) && ids.has(String(e.dst)));
  return { nodes: placed, edges, hidden, columns };
}

function rank(type: string): number {
  const i = TYPE_ORDER.indexOf(type);
  return i < 0 ? TYPE_ORDER.length : i;
}
