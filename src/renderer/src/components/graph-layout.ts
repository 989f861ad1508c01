/**
 * Above this many nodes the force-directed layout no longer fits the one-second budget (cose's
 * repulsion is quadratic per iteration: a 2,000-node session took over a minute in Chromium).
 */
export const FORCE_LAYOUT_MAX_NODES = 300;

export interface Point {
  x: number;
  y: number;
}

/**
 * Rings by weighted degree, computed here rather than by Cytoscape's concentric layout (which took
 * over a second at 2,000 nodes): the few hubs a session turns on (its actor, IPs, resources,
 * decisions) sit in the middle, the many objects they touched form the outer rings. Each ring
 * holds as many nodes as fit at `spacing` along its circumference. Ties keep input order, so
 * the same graph is always drawn the same way.
 */
export function ringPositions(ids: readonly string[], edges: readonly { source: string; target: string; weight: number }[], spacing = 18): Map<string, Point> {
  const degree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    degree.set(e.source, (degree.get(e.source) ?? 0) + e.weight);
    degree.set(e.target, (degree.get(e.target) ?? 0) + e.weight);
  }
  const order = ids.map((id, i) => ({ id, i, d: degree.get(id) ?? 0 })).sort((a, b) => b.d - a.d || a.i - b.i);
  const out = new Map<string, Point>();
  let placed = 0;
  let ring = 0;
  while (placed < order.length) {
    const radius = ring * spacing * 2;
    const capacity = ring === 0 ? 1 : Math.max(1, Math.floor((2 * Math.PI * radius) / spacing));
    const count = Math.min(capacity, order.length - placed);
    for (let k = 0; k < count; k++) {
      const angle = (2 * Math.PI * k) / count;
      out.set(order[placed + k].id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    }
    placed += count;
    ring++;
  }
  return out;
}
