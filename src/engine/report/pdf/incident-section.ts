import { techniqueName } from '../handoff/attack.ts';
import { humanSpan } from '../auto-summary.ts';
import type { CaseExport, ExportIncident } from '../schema.ts';
import { BOTTOM, CONTENT_W, PAGE, SEVERITY_COLOURS, flowTable, paragraph, room, text, type Doc } from './draw.ts';

/**
 * Storyline steps drawn per incident. Steps are the incident's key events, chosen by the hunt,
 * so a few dozen is already long; past this the rest are counted and left to the JSON export,
 * which holds every step.
 */
const MAX_STEPS = 80;
/** Points an incident's head (bar, title, facts) and its first storyline rows take: kept on one page. */
const HEAD_ROOM = 300;
/** Reasons shown per incident; the JSON export holds all. */
const MAX_REASONS = 8;

/** Every incident in rank order, each with its facts, links, storyline, reasons and notes. */
export function drawIncidents(doc: Doc, exp: CaseExport): void {
  let y = PAGE.margin;
  const titles = new Map(exp.findings.map((f) => [f.id, f.title]));
  if (!exp.incidents.length) {
    text(doc, 'Incidents', PAGE.margin, y, CONTENT_W, { size: 14, bold: true });
    text(doc, 'The hunt produced no incidents.', PAGE.margin, y + 24, CONTENT_W, { size: 9, colour: '#555555' });
    return;
  }
  exp.incidents.forEach((inc, i) => {
    // The top incidents open a page each; the rest follow on when there is room for their head.
    if (i > 0) y = inc.rank <= 3 ? (doc.addPage(), PAGE.margin) : room(doc, y + 14, HEAD_ROOM);
    y = drawIncident(doc, inc, titles, y);
  });
}

function drawIncident(doc: Doc, inc: ExportIncident, findingTitles: Map<string, string>, y0: number): number {
  const x = PAGE.margin;
  let y = y0;
  doc.rect(x, y, CONTENT_W, 18).fill(SEVERITY_COLOURS[inc.severity] ?? '#607d8b');
  text(doc, `Incident ${inc.rank} · ${inc.id} · ${inc.severity.toUpperCase()} · risk ${inc.score.toFixed(3)} · triage: ${inc.triage.replace(/_/g, ' ')}`, x + 6, y + 5, CONTENT_W - 12, { size: 9, bold: true, colour: '#ffffff' });
  y += 24;
  y += text(doc, inc.title, x, y, CONTENT_W, { size: 12, bold: true, lines: 3 }) + 4;
  const facts: [string, string, number][] = [
    ['Time', `${inc.start}  to  ${inc.end}  (${humanSpan(inc.start, inc.end)})`, 1],
    ['Actors', inc.users.join(', ') || '(none)', 3],
    ['Source IPs', inc.sourceIPs.join(', ') || '(none)', 2],
    ['Namespaces', inc.namespaces.join(', ') || '(none)', 2],
    ['Objects', inc.objects.join(', ') || '(none)', 3],
    ['ATT&CK', inc.techniques.map((t) => `${t} ${techniqueName(t)}`).join(', ') || '(none)', 3],
    ['Tactics', inc.tactics.join(', ') || '(none)', 2],
    ['Findings', inc.findings.map((f) => `${f} (${findingTitles.get(f) ?? 'not in this hunt'})`).join('; ') || '(none)', 4],
    ['Events cited', String(inc.auditIDs.length), 1],
  ];
  for (const [k, v, lines] of facts) {
    y = room(doc, y, 12);
    text(doc, k, x, y, 72, { size: 8.5, bold: true });
    y += text(doc, v, x + 74, y, CONTENT_W - 74, { size: 8.5, lines }) + 1;
  }
  if (inc.links.length) {
    y = room(doc, y + 6, 30);
    text(doc, 'How the actors are tied', x, y, CONTENT_W, { size: 10, bold: true });
    y += 13;
    for (const l of inc.links) {
      y = room(doc, y, 12);
      y += text(doc, `* ${l.kind}: ${l.from} -> ${l.to}: ${l.text} [${l.auditIDs.length} event${l.auditIDs.length === 1 ? '' : 's'}]`, x + 6, y, CONTENT_W - 6, { size: 8.5, lines: 3 }) + 2;
    }
  }
  y = room(doc, y + 6, 60);
  text(doc, `Storyline (${inc.storyline.length} step${inc.storyline.length === 1 ? '' : 's'})`, x, y, CONTENT_W, { size: 10, bold: true });
  y += 14;
  const steps = inc.storyline.slice(0, MAX_STEPS);
  const multiDay = inc.start.slice(0, 10) !== inc.end.slice(0, 10);
  y = flowTable(
    doc,
    [
      { title: 'time (UTC)', width: multiDay ? 84 : 56 },
      { title: 'actor / source', width: 100, maxLines: 3 },
      { title: 'what happened', width: CONTENT_W - (multiDay ? 84 : 56) - 100 - 46 - 110, maxLines: 5 },
      { title: 'outcome', width: 46 },
      { title: 'ATT&CK / why', width: 110, maxLines: 4 },
    ],
    steps.map((s) => [
      multiDay ? s.time.slice(0, 23).replace('T', ' ') : s.time.slice(11, 23),
      [s.user, s.sourceIPs.join(', ')],
      [s.summary, s.auditID],
      s.outcome,
      // The first reason is the step's own; the rest repeat the incident's and are in the JSON.
      [s.techniques.join(', '), s.why[0] ? `${s.why[0]}${s.why.length > 1 ? ` (+${s.why.length - 1} more)` : ''}` : ''].filter(Boolean),
    ]),
    y,
  );
  if (inc.storyline.length > steps.length) y += text(doc, `... ${inc.storyline.length - steps.length} more steps in the JSON export`, x, y + 2, CONTENT_W, { size: 7.5, colour: '#555555' }) + 4;
  if (inc.reasons.length) {
    y = room(doc, y + 6, 30);
    text(doc, 'Why it ranks here', x, y, CONTENT_W, { size: 10, bold: true });
    y += 13;
    for (const r of inc.reasons.slice(0, MAX_REASONS)) {
      y = room(doc, y, 12);
      y += text(doc, `* ${r.text}`, x + 6, y, CONTENT_W - 6, { size: 8.5, lines: 2 }) + 2;
    }
    if (inc.reasons.length > MAX_REASONS) y += text(doc, `... ${inc.reasons.length - MAX_REASONS} more reasons in the JSON export`, x + 6, y, CONTENT_W, { size: 7.5, colour: '#555555' }) + 2;
  }
  y = room(doc, y + 6, 30);
  text(doc, `Analyst notes (${inc.notes.length})`, x, y, CONTENT_W, { size: 10, bold: true });
  y += 13;
  if (!inc.notes.length) y += text(doc, 'None.', x + 6, y, CONTENT_W, { size: 8.5, colour: '#555555' });
  for (const n of inc.notes) {
    const on = n.findingId === inc.id ? '' : ` on finding ${n.findingId}`;
    y = paragraph(doc, `${n.createdAt.slice(0, 16).replace('T', ' ')} ${n.author ?? 'unknown'}${on}: ${n.text}`, y, { size: 8.5 });
  }
  return Math.min(y, BOTTOM);
}
