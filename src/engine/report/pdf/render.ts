import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import type { AuditEvent } from '../../../shared/domain.ts';
import type { SessionGraph } from '../../hunt/types.ts';
import type { CaseExport } from '../schema.ts';
import { BOTTOM, CONTENT_W, PAGE, heading, table, text, type Doc } from './draw.ts';
import { drawFindingPage } from './finding-page.ts';
import { drawTimeline, type Timeline } from './figures.ts';

export interface PdfInput {
  export: CaseExport;
  timeline: Timeline | null;
  /** Session graphs by finding id, for the findings that have one. */
  graphs: Map<string, SessionGraph>;
  /** Events the top findings cite (at least their key events). */
  events: Map<string, AuditEvent>;
  /** How many findings get a page of their own. */
  top?: number;
}

export const DEFAULT_TOP_FINDINGS = 10;

/**
 * The signed report: cover, evidence and chain of custody, method and limitations, timeline and
 * findings overview, then one page per top finding. Pages: 4 + evidence overflow + min(top, findings).
 */
export function renderCasePdf(input: PdfInput): Promise<Buffer> {
  const exp = input.export;
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    autoFirstPage: true,
    bufferPages: false,
    info: { Title: `Gumshoe case report: ${exp.case.name}`, Author: exp.case.examiner ?? 'Gumshoe', Creator: `gumshoe ${exp.tool.version}`, CreationDate: new Date(exp.exportedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  cover(doc, exp);
  doc.addPage();
  evidencePage(doc, exp);
  doc.addPage();
  methodPage(doc, exp);
  doc.addPage();
  overviewPage(doc, exp, input.timeline);
  exp.findings.slice(0, input.top ?? DEFAULT_TOP_FINDINGS).forEach((f, i) => {
    doc.addPage();
    drawFindingPage(doc, f, i + 1, input.graphs.get(f.id) ?? null, input.events);
  });
  doc.end();
  return done;
}

/** One digest over the inventory's acquisition hashes: a single value to quote on the signed cover. */
export function inventoryDigest(exp: CaseExport): string {
  const h = createHash('sha256');
  for (const e of [...exp.evidence].sort((a, b) => a.path.localeCompare(b.path))) h.update(`${e.sha256 ?? '-'}  ${e.path}\n`);
  return h.digest('hex');
}

function cover(doc: Doc, exp: CaseExport): void {
  const x = PAGE.margin;
  let y = 150;
  y += text(doc, 'Kubernetes audit log investigation', x, y, CONTENT_W, { size: 24, bold: true }) + 6;
  y += text(doc, `Case: ${exp.case.name}`, x, y, CONTENT_W, { size: 16, lines: 2 }) + 30;
  const verified = exp.evidence.filter((e) => e.verification.status === 'match').length;
  const bad = exp.evidence.filter((e) => ['mismatch', 'missing', 'unreadable'].includes(e.verification.status));
  const facts: [string, string][] = [
    ['Examiner', exp.case.examiner ?? '______________________________'],
    ['Report date', exp.exportedAt],
    ['Tool', `gumshoe ${exp.tool.version} (node ${exp.tool.node}, ${exp.tool.platform})`],
    ['Events', `${exp.case.events}${exp.case.from ? `, ${exp.case.from} to ${exp.case.to}` : ''}`],
    ['Evidence', `${exp.evidence.length} items; ${verified} files re-hashed at export and matching${bad.length ? `; ${bad.length} NOT VERIFIED (see inventory)` : ''}`],
    ['Inventory digest', `SHA-256 ${inventoryDigest(exp)}`],
    ['Findings', severityCounts(exp)],
  ];
  for (const [k, v] of facts) {
    text(doc, k, x, y, 110, { size: 10, bold: true });
    y += text(doc, v, x + 115, y, CONTENT_W - 115, { size: 10, lines: 3, mono: k === 'Inventory digest' }) + 8;
  }
  if (bad.length) y += text(doc, 'WARNING: some evidence could not be re-verified; findings citing it must be treated with caution.', x, y + 6, CONTENT_W, { size: 10, bold: true, colour: '#c62828', lines: 2 }) + 10;
  y = Math.max(y + 40, 600);
  doc.moveTo(x, y + 40).lineTo(x + 220, y + 40).lineWidth(0.7).strokeColor('#333333').stroke();
  doc.moveTo(x + 280, y + 40).lineTo(x + 440, y + 40).stroke();
  text(doc, 'Signature of the examiner', x, y + 44, 220, { size: 8 });
  text(doc, 'Date', x + 280, y + 44, 160, { size: 8 });
  text(doc, 'Log strings in this report are data from the evidence, printed as text; characters outside Latin-1 are transliterated or shown as [U+XXXX].', x, BOTTOM - 24, CONTENT_W, { size: 7, colour: '#666666', lines: 2 });
}

function severityCounts(exp: CaseExport): string {
  const order = ['critical', 'high', 'medium', 'low', 'info'] as const;
  const parts = order.map((s) => [s, exp.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  return parts.length ? `${exp.findings.length}: ${parts.map(([s, n]) => `${n} ${s}`).join(', ')}` : 'none';
}

function evidencePage(doc: Doc, exp: CaseExport): void {
  let y = PAGE.margin;
  y += heading(doc, 'Evidence inventory and chain of custody', y);
  y += text(doc, 'Each file was hashed (SHA-256) when acquired and re-hashed when this report was produced. Archive members are covered by their container\'s hash.', PAGE.margin, y, CONTENT_W, { size: 8.5, lines: 3 }) + 6;
  table(
    doc,
    [
      { title: 'path', width: 150 },
      { title: 'SHA-256 at acquisition', width: 150, mono: true },
      { title: 'size', width: 48 },
      { title: 'acquired', width: 76 },
      { title: 'verification', width: CONTENT_W - 424 },
    ],
    exp.evidence.map((e) => [e.path, e.sha256 ?? '(none)', e.size ?? '', stamp(e.acquiredAt), `${e.verification.status.toUpperCase()} at ${stamp(e.verification.verifiedAt)}`]),
    y,
    { newPage: () => (doc.addPage(), PAGE.margin) },
  );
}

function methodPage(doc: Doc, exp: CaseExport): void {
  const x = PAGE.margin;
  let y = PAGE.margin;
  y += heading(doc, 'Method', y);
  y += text(doc, exp.method.summary, x, y, CONTENT_W, { size: 9, lines: 5 }) + 8;
  for (const [i, s] of exp.method.steps.entries()) y += text(doc, `${i + 1}. ${s}`, x, y, CONTENT_W, { size: 9, lines: 3 }) + 4;
  y += 10;
  y += heading(doc, 'Configuration and metrics', y, 12);
  const kv = { ...(exp.config.hunt ?? {}), ...(exp.metrics.hunt ?? {}) };
  for (const [k, v] of Object.entries(kv)) y += text(doc, `${k}: ${JSON.stringify(v)}`, x, y, CONTENT_W, { size: 8, mono: true }) + 1;
  if (exp.model) for (const [k, v] of Object.entries(exp.model)) y += text(doc, `model.${k}: ${JSON.stringify(v)}`, x, y, CONTENT_W, { size: 8, mono: true }) + 1;
  y += 10;
  y += heading(doc, 'Limitations', y, 12);
  for (const l of exp.method.limitations) {
    if (y > BOTTOM - 30) break;
    y += text(doc, `* ${l}`, x, y, CONTENT_W, { size: 9, lines: 3 }) + 4;
  }
}

function overviewPage(doc: Doc, exp: CaseExport, tl: Timeline | null): void {
  let y = PAGE.margin;
  y += heading(doc, 'Timeline of activity', y);
  if (tl) y += drawTimeline(doc, tl, exp.findings, PAGE.margin, y, CONTENT_W, 190) + 12;
  else y += text(doc, 'No events in the case.', PAGE.margin, y, CONTENT_W) + 12;
  y += heading(doc, 'Findings, riskiest first', y, 12);
  const rows = exp.findings.map((f, i) => [i + 1, f.severity, f.score.toFixed(3), f.start.slice(0, 19).replace('T', ' '), f.title, f.triage]);
  table(
    doc,
    [
      { title: '#', width: 22 },
      { title: 'severity', width: 48 },
      { title: 'risk', width: 36 },
      { title: 'start (UTC)', width: 84 },
      { title: 'title', width: CONTENT_W - 270 },
      { title: 'triage', width: 80 },
    ],
    rows,
    y,
  );
}

/** "2026-11-28 14:47:28Z": seconds are enough for a custody table (the JSON keeps full precision). */
const stamp = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
