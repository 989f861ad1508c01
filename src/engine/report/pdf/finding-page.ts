import type { AuditEvent } from '../../../shared/domain.ts';
import type { HuntGraph } from '../../hunt/types.ts';
import { usToRfc3339 } from '../../hunt/time.ts';
import type { ExportFinding } from '../schema.ts';
import { BOTTOM, CONTENT_W, PAGE, SEVERITY_COLOURS, table, text, type Doc } from './draw.ts';
import { drawGraph } from './figures.ts';

const MAX_REASONS = 8;
const MAX_EVENTS = 8;
const MAX_NOTES = 4;

/**
 * One finding on exactly one page: header, facts, session graph, explanation, key events, notes.
 * Each block is capped, so the page count is a function of the number of findings (the JSON
 * export carries everything that did not fit).
 */
export function drawFindingPage(doc: Doc, f: ExportFinding, rank: number, graph: HuntGraph | null, events: Map<string, AuditEvent>): void {
  const x = PAGE.margin;
  let y = PAGE.margin;
  const sev = SEVERITY_COLOURS[f.severity] ?? '#607d8b';
  doc.rect(x, y, CONTENT_W, 18).fill(sev);
  text(doc, `Finding ${rank} · ${f.id} · ${f.severity.toUpperCase()} · risk ${f.score.toFixed(3)} · ${f.kind}`, x + 6, y + 5, CONTENT_W - 12, { size: 9, bold: true, colour: '#ffffff' });
  y += 24;
  y += text(doc, f.title, x, y, CONTENT_W, { size: 13, bold: true, lines: 2 }) + 4;
  const facts: [string, string][] = [
    ['Time', `${f.start}  to  ${f.end}`],
    ['ATT&CK', f.techniques.join(', ') || '(none)'],
    ['Users', f.users.join(', ') || '(none)'],
    ['Source IPs', f.sourceIPs.join(', ') || '(none)'],
    ['Triage', `${f.triage}${f.sessionId !== undefined ? `    Session #${f.sessionId}` : ''}    Events cited: ${f.auditIDs.length}`],
  ];
  for (const [k, v] of facts) {
    text(doc, k, x, y, 70, { size: 8.5, bold: true });
    y += text(doc, v, x + 72, y, CONTENT_W - 72, { size: 8.5, lines: 2 }) + 1;
  }
  y += 6;
  if (graph && graph.nodes.length) {
    text(doc, 'Session graph', x, y, CONTENT_W, { size: 10, bold: true });
    y += 14;
    y += drawGraph(doc, graph, x, y, CONTENT_W, 180) + 8;
  }
  text(doc, 'Why this was flagged', x, y, CONTENT_W, { size: 10, bold: true });
  y += 14;
  const reasons = f.reasons.slice(0, MAX_REASONS);
  for (const r of reasons) {
    if (y > BOTTOM - 200) break;
    text(doc, '*', x, y, 8, { size: 8 });
    y += text(doc, `${r.text}${r.auditIDs.length ? `  [${r.auditIDs.length} event${r.auditIDs.length === 1 ? '' : 's'}: ${r.auditIDs.slice(0, 2).join(', ')}${r.auditIDs.length > 2 ? ', ...' : ''}]` : ''}`, x + 10, y, CONTENT_W - 10, { size: 8, lines: 2 }) + 2;
  }
  if (f.reasons.length > reasons.length) y += text(doc, `... ${f.reasons.length - reasons.length} more reasons in the JSON export`, x + 10, y, CONTENT_W, { size: 7.5, colour: '#555555' }) + 2;
  y += 8;
  text(doc, 'Key events', x, y, CONTENT_W, { size: 10, bold: true });
  y += 14;
  const rows = keyEvents(f, events).map((e) => [
    usToRfc3339(e.timeUs).slice(11, 23),
    e.verb,
    e.user,
    [e.namespace, e.resource, e.name].filter(Boolean).join('/'),
    e.sourceIPs[0] ?? '',
    e.responseCode ?? '',
    e.auditID,
  ]);
  const notesH = f.notes.length ? 20 + Math.min(MAX_NOTES, f.notes.length) * 22 : 0;
  y = table(
    doc,
    [
      { title: 'time (UTC)', width: 58, mono: true },
      { title: 'verb', width: 40 },
      { title: 'user', width: 82 },
      { title: 'namespace/resource/name', width: 110 },
      { title: 'source IP', width: 62 },
      { title: 'code', width: 24 },
      { title: 'auditID', width: CONTENT_W - 376, mono: true },
    ],
    rows,
    y,
    { maxRows: MAX_EVENTS, bottom: BOTTOM - notesH },
  );
  if (f.notes.length) {
    y += 8;
    text(doc, 'Analyst notes', x, y, CONTENT_W, { size: 10, bold: true });
    y += 14;
    for (const n of f.notes.slice(0, MAX_NOTES)) {
      if (y > BOTTOM - 20) break;
      y += text(doc, `${n.createdAt}${n.author ? ` (${n.author})` : ''}: ${n.text}`, x, y, CONTENT_W, { size: 8, lines: 2 }) + 3;
    }
  }
}

/** Events cited by the strongest reasons first (rule hits, novelty, rare pairs), then the rest: the table may have room for few. */
function keyEvents(f: ExportFinding, events: Map<string, AuditEvent>): AuditEvent[] {
  const order: string[] = [];
  for (const r of f.reasons) if (r.kind === 'rule-hit' || r.kind.startsWith('new-') || r.kind === 'rare-pair') order.push(...r.auditIDs);
  order.push(...f.auditIDs);
  const seen = new Set<string>();
  const out: AuditEvent[] = [];
  for (const id of order) {
    const e = events.get(id);
    if (!e || seen.has(id)) continue;
    seen.add(id);
    out.push(e);
    if (out.length === MAX_EVENTS) break;
  }
  return out;
}
