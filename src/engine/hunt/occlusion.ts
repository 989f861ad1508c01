import type { HuntGraph } from './types.ts';

/**
 * Which nodes drove a session's anomaly score: drop one node (and its edges), re-embed, re-score,
 * and keep the nodes whose removal lowers the score most. `scoreGraph` wraps the model and the
 * fitted forest (embed one graph, score its vector), so this file needs neither.
 *
 * Cost is one embedding per tried node; `maxNodes` bounds it by trying the best-connected nodes
 * first, because a leaf rarely moves a mean-pooled embedding.
 */
export async function occludeNodes(
  graph: HuntGraph,
  scoreGraph: (g: HuntGraph) => Promise<number> | number,
  options: { maxNodes?: number; top?: number } = {},
): Promise<{ label: string; type: string; drop: number }[]> {
  const base = await scoreGraph(graph);
  const degree = new Map<string, number>();
  for (const e of graph.edges) {
    degree.set(String(e.src), (degree.get(String(e.src)) ?? 0) + 1);
    degree.set(String(e.dst), (degree.get(String(e.dst)) ?? 0) + 1);
  }
  const tried = [...graph.nodes]
    .sort((a, b) => (degree.get(String(b.id)) ?? 0) - (degree.get(String(a.id)) ?? 0) || String(a.id).localeCompare(String(b.id)))
    .slice(0, options.maxNodes ?? 40);
  const out: { label: string; type: string; drop: number }[] = [];
  for (const node of tried) {
    const id = String(node.id);
    const without: HuntGraph = {
      nodes: graph.nodes.filter((n) => String(n.id) !== id),
      edges: graph.edges.filter((e) => String(e.src) !== id && String(e.dst) !== id),
      auditIDs: graph.auditIDs,
    };
    if (!without.nodes.length) continue;
    const drop = base - (await scoreGraph(without));
    if (drop > 0) out.push({ label: node.label, type: node.type, drop });
  }
  return out.sort((a, b) => b.drop - a.drop || a.label.localeCompare(b.label)).slice(0, options.top ?? 3);
}
