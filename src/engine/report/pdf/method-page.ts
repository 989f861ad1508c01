import { settingLines } from '../round.ts';
import type { CaseExport } from '../schema.ts';
import { CONTENT_W, PAGE, heading, paragraph, room, text, type Doc } from './draw.ts';

/** How the findings were reached, in plain words, and what the method cannot tell. */
export function drawMethod(doc: Doc, exp: CaseExport): void {
  const x = PAGE.margin;
  let y = PAGE.margin;
  y += heading(doc, 'Method', y);
  y = paragraph(doc, exp.method.summary, y, { size: 9.5 }) + 6;
  for (const [i, s] of exp.method.steps.entries()) y = paragraph(doc, `${i + 1}. ${s}`, y, { size: 9 }) + 2;
  y += text(doc, 'The exact settings and measurements of this run are in Appendix A.', x, y + 4, CONTENT_W, { size: 8.5, colour: '#555555' }) + 14;
  y = room(doc, y, 60);
  y += heading(doc, 'Limitations', y, 12);
  for (const l of exp.method.limitations) y = paragraph(doc, `* ${l}`, y, { size: 9 }) + 2;
}

/** Appendix A: hunt settings, hunt and model measurements, rounded for reading (the JSON keeps full precision). */
export function drawSettings(doc: Doc, exp: CaseExport): void {
  let y = PAGE.margin;
  y += heading(doc, 'Appendix A: settings and measurements', y);
  y += text(doc, 'Numbers rounded to three significant digits; the JSON export holds them at full precision.', PAGE.margin, y, CONTENT_W, { size: 8.5, colour: '#555555' }) + 8;
  const groups: [string, Record<string, unknown> | null][] = [
    ['Hunt settings', exp.config.hunt],
    ['Hunt measurements', exp.metrics.hunt],
    ['Model', exp.model],
    ['Model measurements', exp.metrics.model],
  ];
  for (const [title, obj] of groups) {
    y = room(doc, y, 40);
    y += text(doc, title, PAGE.margin, y, CONTENT_W, { size: 10, bold: true }) + 3;
    const lines = settingLines(obj);
    if (!lines.length) y += text(doc, '(none)', PAGE.margin + 8, y, CONTENT_W, { size: 8.5, colour: '#555555' }) + 2;
    for (const [k, v] of lines) {
      y = room(doc, y, 11);
      text(doc, k, PAGE.margin + 8, y, 180, { size: 8, lines: 2 });
      y += text(doc, v, PAGE.margin + 192, y, CONTENT_W - 192, { size: 8, mono: true, lines: 3 }) + 1;
    }
    y += 8;
  }
}
