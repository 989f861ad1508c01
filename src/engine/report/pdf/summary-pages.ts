import type { AuditEvent } from '../../../shared/domain.ts';
import { describeEvent } from '../../events/describe.ts';
import { usToRfc3339 } from '../../hunt/time.ts';
import { automaticSummary } from '../auto-summary.ts';
import type { CaseExport } from '../schema.ts';
import { CONTENT_W, PAGE, flowTable, heading, paragraph, room, text, type Doc } from './draw.ts';
import { drawTimeline, type Timeline } from './figures.ts';

/** Objects listed in the PDF's indicators table; the JSON export lists them all. */
const MAX_OBJECTS = 40;

/** The analyst's summary and conclusions, then the report's own, then the indicators. */
export function drawExecutiveSummary(doc: Doc, exp: CaseExport): void {
  let y = PAGE.margin;
  y += heading(doc, 'Executive summary', y);
  text(doc, 'By the examiner', PAGE.margin, y, CONTENT_W, { size: 10, bold: true });
  y += 14;
  y = paragraph(doc, exp.case.summary ?? '(The examiner has not written a summary for this case.)', y, { size: 9.5, colour: exp.case.summary ? '#111111' : '#777777' }) + 6;
  if (exp.case.conclusions) {
    y = room(doc, y, 40);
    text(doc, 'Conclusions', PAGE.margin, y, CONTENT_W, { size: 10, bold: true });
    y += 14;
    y = paragraph(doc, exp.case.conclusions, y, { size: 9.5 }) + 6;
  }
  y = room(doc, y, 60);
  text(doc, 'Computed from the evidence', PAGE.margin, y, CONTENT_W, { size: 10, bold: true });
  y += 14;
  for (const s of automaticSummary(exp)) y = paragraph(doc, s, y, { size: 9 }) + 2;
  y = room(doc, y + 10, 80);
  y += heading(doc, 'Indicators', y, 12);
  if (!exp.indicators.length) {
    text(doc, 'None: no medium, high or critical incident that is not triaged benign.', PAGE.margin, y, CONTENT_W, { size: 9, colour: '#555555' });
    return;
  }
  y += text(doc, 'Accounts, source addresses, container images and objects of the medium, high and critical incidents not triaged benign, with the incidents (by rank) that show them.', PAGE.margin, y, CONTENT_W, { size: 8.5, lines: 2 }) + 4;
  const rank = new Map(exp.incidents.map((i) => [i.id, i.rank]));
  // Objects run to hundreds (every configmap a rollout touched): the riskiest incidents' first.
  const objects = exp.indicators.filter((i) => i.kind === 'object');
  const shown = [...exp.indicators.filter((i) => i.kind !== 'object'), ...objects.slice(0, MAX_OBJECTS)];
  y = flowTable(
    doc,
    [
      { title: 'kind', width: 50 },
      { title: 'value', width: CONTENT_W - 150, mono: true, maxLines: 4 },
      { title: 'incidents', width: 100 },
    ],
    shown.map((i) => [i.kind, i.value, i.incidents.map((id) => `#${rank.get(id) ?? '?'}`).join(' ')]),
    y,
  );
  if (objects.length > MAX_OBJECTS) text(doc, `... ${objects.length - MAX_OBJECTS} more objects in the JSON export`, PAGE.margin, y + 2, CONTENT_W, { size: 7.5, colour: '#555555' });
}

/** The activity timeline with findings marked, and every incident in one table. */
export function drawOverview(doc: Doc, exp: CaseExport, tl: Timeline | null): void {
  let y = PAGE.margin;
  y += heading(doc, 'Timeline of activity', y);
  if (tl) y += drawTimeline(doc, tl, exp.findings, PAGE.margin, y, CONTENT_W, 190) + 12;
  else y += text(doc, 'No events in the case.', PAGE.margin, y, CONTENT_W) + 12;
  y += heading(doc, `Incidents, riskiest first (${exp.incidents.length})`, y, 12);
  if (!exp.incidents.length) {
    text(doc, 'The hunt produced no incidents.', PAGE.margin, y, CONTENT_W, { size: 9, colour: '#555555' });
    return;
  }
  flowTable(
    doc,
    [
      { title: '#', width: 22 },
      { title: 'severity', width: 46 },
      { title: 'risk', width: 32 },
      { title: 'start (UTC)', width: 78 },
      { title: 'title', width: CONTENT_W - 258, maxLines: 3 },
      { title: 'triage', width: 80 },
    ],
    exp.incidents.map((i) => [i.rank, i.severity, i.score.toFixed(3), i.start.slice(0, 19).replace('T', ' '), i.title, i.triage.replace(/_/g, ' ')]),
    y,
  );
}

/** Every finding, incidents' and others', in one table that continues over pages. */
export function drawFindingsTable(doc: Doc, exp: CaseExport): number {
  let y = PAGE.margin;
  y += heading(doc, `Findings, riskiest first (${exp.findings.length})`, y);
  const inIncident = new Map<string, number>();
  for (const i of exp.incidents) for (const f of i.findings) if (!inIncident.has(f)) inIncident.set(f, i.rank);
  return flowTable(
    doc,
    [
      { title: '#', width: 22 },
      { title: 'severity', width: 46 },
      { title: 'risk', width: 32 },
      { title: 'start (UTC)', width: 78 },
      { title: 'title', width: CONTENT_W - 298, maxLines: 3 },
      { title: 'incident', width: 44 },
      { title: 'triage', width: 76 },
    ],
    exp.findings.map((f, i) => [i + 1, f.severity, f.score.toFixed(3), f.start.slice(0, 19).replace('T', ' '), f.title, inIncident.has(f.id) ? `#${inIncident.get(f.id)}` : '-', f.triage.replace(/_/g, ' ')]),
    y,
  );
}

/** Events the analyst starred, tagged or commented, with what each did. */
export function drawMarks(doc: Doc, exp: CaseExport, events: ReadonlyMap<string, AuditEvent>, y0: number): number {
  let y = room(doc, y0, 80);
  y += heading(doc, `Marked events (${exp.marks.length})`, y);
  if (!exp.marks.length) return y + text(doc, 'No event was starred, tagged or commented.', PAGE.margin, y, CONTENT_W, { size: 9, colour: '#555555' });
  return flowTable(
    doc,
    [
      { title: 'time (UTC)', width: 84 },
      { title: 'mark', width: 70 },
      { title: 'event', width: CONTENT_W - 294, maxLines: 4 },
      { title: 'comment', width: 140, maxLines: 8 },
    ],
    exp.marks.map((m) => {
      const e = events.get(m.auditID);
      const what = e ? `${e.user}: ${describeEvent(e).summary}` : '(event not in the case)';
      return [
        e ? usToRfc3339(e.timeUs).slice(0, 23).replace('T', ' ') : '',
        [...(m.starred ? ['* starred'] : []), ...m.tags].join(', '),
        [what, m.auditID],
        [m.comment ?? '', `${m.author ?? 'unknown'}, ${m.updatedAt.slice(0, 16).replace('T', ' ')}`],
      ];
    }),
    y,
  );
}
