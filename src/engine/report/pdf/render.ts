import PDFDocument from 'pdfkit';
import type { AuditEvent } from '../../../shared/domain.ts';
import type { HuntGraph } from '../../hunt/types.ts';
import type { CaseExport } from '../schema.ts';
import { drawCover } from './cover.ts';
import { PAGE, text, type Doc } from './draw.ts';
import { drawEvidence, drawJournal } from './evidence-page.ts';
import { drawFindingPage } from './finding-page.ts';
import type { Timeline } from './figures.ts';
import { drawIncidents } from './incident-section.ts';
import { drawMethod, drawSettings } from './method-page.ts';
import { drawExecutiveSummary, drawFindingsTable, drawMarks, drawOverview } from './summary-pages.ts';

export { inventoryDigest } from './cover.ts';

export interface PdfInput {
  export: CaseExport;
  timeline: Timeline | null;
  /** Session graphs by finding id, for the findings that have one. */
  graphs: Map<string, HuntGraph>;
  /** Events the top findings and the marks cite (at least their key events). */
  events: Map<string, AuditEvent>;
  /** How many findings get a detail page in Appendix B. */
  top?: number;
}

export const DEFAULT_TOP_FINDINGS = 10;

/**
 * The signed report: cover; executive summary (the examiner's and a computed one) with the
 * indicators; timeline and incident list; every incident with its storyline, triage and notes;
 * marked events; all findings; evidence and chain of custody; method and limitations;
 * Appendix A settings; Appendix B one page per top finding. Every page is footed with the case
 * and "page i of n".
 */
export function renderCasePdf(input: PdfInput): Promise<Buffer> {
  const exp = input.export;
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    autoFirstPage: true,
    // Buffered so every page can be footed with the page count once it is known.
    bufferPages: true,
    info: { Title: `Gumshoe case report: ${exp.case.caseNumber ?? exp.case.name}`, Author: exp.case.examiner ?? 'Gumshoe', Creator: `gumshoe ${exp.tool.version}`, CreationDate: new Date(exp.exportedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawCover(doc, exp);
  doc.addPage();
  drawExecutiveSummary(doc, exp);
  doc.addPage();
  drawOverview(doc, exp, input.timeline);
  doc.addPage();
  drawIncidents(doc, exp);
  doc.addPage();
  drawMarks(doc, exp, input.events, drawFindingsTable(doc, exp) + 20);
  doc.addPage();
  drawJournal(doc, exp, drawEvidence(doc, exp));
  doc.addPage();
  drawMethod(doc, exp);
  doc.addPage();
  drawSettings(doc, exp);
  const top = exp.findings.slice(0, input.top ?? DEFAULT_TOP_FINDINGS);
  top.forEach((f, i) => {
    doc.addPage();
    if (i === 0) text(doc, 'Appendix B: finding details', PAGE.margin, PAGE.margin - 30, 300, { size: 8, colour: '#555555' });
    drawFindingPage(doc, f, i + 1, input.graphs.get(f.id) ?? null, input.events);
  });
  footPages(doc, exp);
  doc.end();
  return done;
}

/** "IR-2026-0417 · page 3 of 17" under every page, drawn once the count is known. */
function footPages(doc: Doc, exp: CaseExport): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: lift it while drawing, or PDFKit would flow onto a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    text(doc, `Case ${exp.case.caseNumber ?? exp.case.name}  ·  page ${i + 1} of ${range.count}`, PAGE.margin, PAGE.height - PAGE.margin + 14, PAGE.width - 2 * PAGE.margin, { size: 7, colour: '#777777', align: 'center' });
    doc.page.margins.bottom = bottom;
  }
}
