import type { HuntGraph } from '../../hunt/types.ts';
import { rfc3339ToUs, usToRfc3339 } from '../../hunt/time.ts';
import type { ExportFinding } from '../schema.ts';
import { KIND_COLOURS, text, type Doc } from './draw.ts';
import { colourOf, layoutGraph } from './layout.ts';

export interface Timeline {
  startUs: number;
  bucketUs: number;
  counts: number[];
}

/** Events per bucket as bars, each finding marked at its start by a triangle coloured by kind. Returns the height used. */
export function drawTimeline(doc: Doc, tl: Timeline, findings: ExportFinding[], x: number, y: number, w: number, h: number): number {
  const plotH = h - 46;
  const top = y + 18;
  const max = Math.max(1, ...tl.counts);
  const barW = w / tl.counts.length;
  doc.rect(x, top, w, plotH).lineWidth(0.5).strokeColor('#bbbbbb').stroke();
  tl.counts.forEach((c, i) => {
    if (!c) return;
    const bh = (plotH * c) / max;
    doc.rect(x + i * barW + 0.3, top + plotH - bh, Math.max(0.4, barW - 0.6), bh).fill('#90a4ae');
  });
  const spanUs = tl.bucketUs * tl.counts.length;
  // Draw low-risk markers first so the riskiest sit on top.
  for (const f of [...findings].sort((a, b) => a.score - b.score)) {
    const t = (rfc3339ToUs(f.start) - tl.startUs) / spanUs;
    if (!(t >= 0 && t <= 1)) continue;
    const mx = x + t * w;
    // Faint guide lines: with dozens of findings, solid ones would hide the activity bars.
    doc.moveTo(mx, top + plotH).lineTo(mx, top + 6).lineWidth(0.4).strokeColor(KIND_COLOURS[f.kind]).strokeOpacity(0.3).stroke();
    doc.strokeOpacity(1);
    doc.polygon([mx - 3.5, top], [mx + 3.5, top], [mx, top + 6]).fill(KIND_COLOURS[f.kind]);
  }
  text(doc, `max ${max} events per ${humanDuration(tl.bucketUs)}`, x, y + 4, w / 2, { size: 7, colour: '#555555' });
  text(doc, usToRfc3339(tl.startUs).slice(0, 19).replace('T', ' '), x, top + plotH + 3, 140, { size: 7 });
  text(doc, usToRfc3339(tl.startUs + spanUs).slice(0, 19).replace('T', ' '), x + w - 140, top + plotH + 3, 140, { size: 7, align: 'right' });
  let lx = x;
  for (const [kind, label] of [['anomaly', 'anomaly'], ['rule', 'rule hit'], ['correlated', 'rule hit in anomalous session']] as const) {
    const ly = top + plotH + 16;
    doc.polygon([lx, ly], [lx + 7, ly], [lx + 3.5, ly + 6]).fill(KIND_COLOURS[kind]);
    text(doc, label, lx + 10, ly - 1, 200, { size: 7 });
    lx += 28 + doc.widthOfString(label);
  }
  return h;
}

/** The session graph as a vector figure with a legend of node types. Returns the height used. */
export function drawGraph(doc: Doc, graph: HuntGraph, x: number, y: number, w: number, h: number): number {
  const legendH = 14;
  const boxH = h - legendH;
  doc.rect(x, y, w, boxH).lineWidth(0.5).strokeColor('#cccccc').stroke();
  const lay = layoutGraph(graph, w - 20, boxH - 28);
  const ox = x + 10;
  const oy = y + 18;
  const pos = new Map(lay.nodes.map((n) => [String(n.id), n]));
  const maxW = Math.max(1, ...lay.edges.map((e) => e.weight));
  for (const e of lay.edges) {
    const a = pos.get(String(e.src))!;
    const b = pos.get(String(e.dst))!;
    doc.moveTo(ox + a.x, oy + a.y).lineTo(ox + b.x, oy + b.y).lineWidth(0.3 + 1.5 * (e.weight / maxW)).strokeColor('#9e9e9e').strokeOpacity(0.6).stroke();
  }
  doc.strokeOpacity(1);
  const colW = (w - 20) / Math.max(1, lay.columns.length);
  for (const c of lay.columns) {
    const more = lay.hidden.get(c.type);
    text(doc, `${c.type}${more ? ` (+${more})` : ''}`, ox + c.x - colW / 2, y + 4, colW, { size: 6.5, bold: true, align: 'center' });
  }
  for (const n of lay.nodes) {
    doc.circle(ox + n.x, oy + n.y, 3.2).fill(colourOf(n.type));
    text(doc, n.label, ox + n.x - colW / 2 + 2, oy + n.y + 3.5, colW - 4, { size: 5.5, align: 'center', colour: '#333333' });
  }
  let lx = x;
  for (const c of lay.columns) {
    doc.circle(lx + 4, y + boxH + 7, 3).fill(colourOf(c.type));
    text(doc, c.type, lx + 10, y + boxH + 3.5, 70, { size: 7 });
    lx += 16 + doc.font('Helvetica').fontSize(7).widthOfString(c.type);
    if (lx > x + w - 40) break;
  }
  return h;
}

function humanDuration(us: number): string {
  const s = us / 1e6;
  return s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

