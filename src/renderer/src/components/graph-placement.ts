import type { Point } from './graph-layout.ts';

/** Sunflower packing: point k sits at radius spacing·√k, which keeps neighbours about `spacing` apart. */
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

/**
 * Positions for a view drawn again after the analyst opened or folded object groups: every node
 * drawn before stays where it was (the picture they were reading does not move), and the members
 * of each group just opened fill a disc that grows outward from where the group stood, away from
 * the middle of the picture. Discs opened together are spread evenly around the middle so they do
 * not cover each other. Null when some node was never drawn and belongs to no opened group: the
 * caller lays the view out from scratch.
 */
export function placeOpened(ids: readonly string[], drawn: ReadonlyMap<string, Point>, groups: readonly { id: string; members: readonly string[] }[], spacing = 18): Map<string, Point> | null {
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g.id);
  const out = new Map<string, Point>();
  const pending = new Map<string, string[]>();
  for (const id of ids) {
    const at = drawn.get(id);
    const g = groupOf.get(id);
    if (at) out.set(id, { x: at.x, y: at.y });
    else if (g !== undefined && drawn.has(g)) {
      const list = pending.get(g);
      if (list) list.push(id);
      else pending.set(g, [id]);
    } else return null;
  }
  if (pending.size === 0) return out;
  const kept = [...out.values()];
  const middle = kept.length > 0 ? { x: mean(kept.map((p) => p.x)), y: mean(kept.map((p) => p.y)) } : { x: 0, y: 0 };
  const discs = [...pending].map(([g, members]) => {
    const from = drawn.get(g)!;
    return { members, from, angle: Math.atan2(from.y - middle.y, from.x - middle.x), radius: spacing * Math.sqrt(members.length) };
  });
  discs.sort((a, b) => a.angle - b.angle);
  const widest = Math.max(...discs.map((d) => d.radius));
  discs.forEach((d, i) => {
    // One disc points the way its group stood; several share the circle in that order, evenly.
    const angle = discs.length === 1 ? d.angle : discs[0].angle + (2 * Math.PI * i) / discs.length;
    const reach = Math.hypot(d.from.x - middle.x, d.from.y - middle.y);
    const apart = discs.length > 1 ? (widest + spacing) / Math.sin(Math.PI / discs.length) : 0;
    const centre = Math.max(reach + d.radius + spacing, apart);
    const cx = middle.x + centre * Math.cos(angle);
    const cy = middle.y + centre * Math.sin(angle);
    d.members.forEach((id, k) => {
      const r = spacing * Math.sqrt(k);
      out.set(id, { x: cx + r * Math.cos(k * GOLDEN_ANGLE), y: cy + r * Math.sin(k * GOLDEN_ANGLE) });
    });
  });
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Zoom and pan that show every position with `margin` model units to spare, computed from the
 * positions alone: cy.fit() measures every edge's bounding box first, which cost a second at 10K edges.
 */
export function fitViewport(positions: Iterable<Point>, width: number, height: number, margin = 30): { zoom: number; pan: Point } {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of positions) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  if (x1 > x2) return { zoom: 1, pan: { x: width / 2, y: height / 2 } };
  // A handful of nodes would otherwise fill the box: no closer than twice life size.
  const zoom = Math.min(2, width / (x2 - x1 + 2 * margin), height / (y2 - y1 + 2 * margin));
  return { zoom, pan: { x: width / 2 - zoom * ((x1 + x2) / 2), y: height / 2 - zoom * ((y1 + y2) / 2) } };
}
