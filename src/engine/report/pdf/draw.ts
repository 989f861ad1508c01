import { pdfText } from './sanitize.ts';

export type Doc = PDFKit.PDFDocument;

export const PAGE = { width: 595.28, height: 841.89, margin: 48 };
export const CONTENT_W = PAGE.width - 2 * PAGE.margin;
export const BOTTOM = PAGE.height - PAGE.margin;

export const SEVERITY_COLOURS: Record<string, string> = { critical: '#7b0000', high: '#c62828', medium: '#ef6c00', low: '#f9a825', info: '#607d8b' };
export const KIND_COLOURS: Record<string, string> = { anomaly: '#ef6c00', rule: '#c62828', correlated: '#6a1b9a' };

export interface TextOpts {
  size?: number;
  bold?: boolean;
  mono?: boolean;
  colour?: string;
  /** Lines allowed before the text is cut with an ellipsis. */
  lines?: number;
  align?: 'left' | 'right' | 'center';
}

/**
 * Draw sanitized text in a box, never past `lines` lines: every string here can be arbitrarily
 * long log data, and PDFKit would otherwise flow it onto new pages. Returns the height used.
 */
export function text(doc: Doc, value: unknown, x: number, y: number, width: number, o: TextOpts = {}): number {
  const size = o.size ?? 9;
  doc.font(o.mono ? 'Courier' : o.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size).fillColor(o.colour ?? '#111111');
  const s = pdfText(value);
  const lineH = doc.currentLineHeight(true);
  const maxH = lineH * (o.lines ?? 1);
  const h = Math.min(doc.heightOfString(s, { width }), maxH);
  doc.text(s, x, y, { width, height: maxH, ellipsis: true, align: o.align ?? 'left' });
  return Math.max(h, lineH);
}

export function heading(doc: Doc, value: string, y: number, size = 14): number {
  const h = text(doc, value, PAGE.margin, y, CONTENT_W, { size, bold: true, lines: 2 });
  doc.moveTo(PAGE.margin, y + h + 2).lineTo(PAGE.width - PAGE.margin, y + h + 2).lineWidth(0.5).strokeColor('#999999').stroke();
  return h + 8;
}

export interface Column {
  title: string;
  width: number;
  mono?: boolean;
}

/** A table that continues on a new page (header repeated) when it reaches the bottom margin. */
export function table(doc: Doc, columns: Column[], rows: unknown[][], y0: number, o: { size?: number; maxRows?: number; bottom?: number; newPage?: () => number } = {}): number {
  const size = o.size ?? 7.5;
  const bottom = o.bottom ?? BOTTOM;
  const drawHeader = (y: number): number => {
    doc.rect(PAGE.margin, y, CONTENT_W, size + 6).fill('#e8e8e8');
    let x = PAGE.margin + 2;
    for (const c of columns) {
      text(doc, c.title, x, y + 3, c.width - 4, { size, bold: true });
      x += c.width;
    }
    return y + size + 8;
  };
  let y = drawHeader(y0);
  const shown = rows.slice(0, o.maxRows ?? rows.length);
  const rowH = size * 2 + 6;
  let drawn = 0;
  for (const [i, row] of shown.entries()) {
    // Leave room for the "more rows" line when this table does not continue on a new page.
    if (y + rowH + (o.newPage ? 0 : size + 6) > bottom) {
      if (!o.newPage) break;
      y = drawHeader(o.newPage());
    }
    if (i % 2 === 1) doc.rect(PAGE.margin, y - 1, CONTENT_W, rowH).fill('#f6f6f6');
    let x = PAGE.margin + 2;
    columns.forEach((c, j) => {
      text(doc, row[j], x, y + 1, c.width - 4, { size, mono: c.mono, lines: 2 });
      x += c.width;
    });
    y += rowH;
    drawn++;
  }
  if (drawn < rows.length) {
    y += text(doc, `... ${rows.length - drawn} more rows in the JSON export`, PAGE.margin, y + 2, CONTENT_W, { size, colour: '#555555' }) + 2;
  }
  return y;
}

export interface FlowColumn {
  title: string;
  width: number;
  mono?: boolean;
  /**
   * Lines a cell of this column may take before it is cut with an ellipsis. Identifiers an
   * examiner must be able to copy (paths, hashes) pass Infinity: they wrap, never cut. Log
   * strings get a cap: one attacker-written value must not fill pages.
   */
  maxLines?: number;
}

/** A cell: one paragraph, or several stacked (e.g. an archive member and its container). */
export type FlowCell = unknown | readonly unknown[];

/** Cap on a free-text cell: six lines say what a log string is; the JSON export has all of it. */
const DEFAULT_CELL_LINES = 6;

/**
 * A table whose rows grow to fit their cells (wrapping, not cutting, up to each column's
 * maxLines) and continue on a new page with the header repeated. Returns the y after it.
 */
export function flowTable(doc: Doc, columns: FlowColumn[], rows: FlowCell[][], y0: number, o: { size?: number } = {}): number {
  const size = o.size ?? 7.5;
  const pad = 2;
  const drawHeader = (y: number): number => {
    const h = Math.max(...columns.map((c) => measure(doc, c.title, c.width - 2 * pad, size, false, true, 2))) + 4;
    doc.rect(PAGE.margin, y, CONTENT_W, h).fill('#e8e8e8');
    let x = PAGE.margin + pad;
    for (const c of columns) {
      text(doc, c.title, x, y + 2, c.width - 2 * pad, { size, bold: true, lines: 2 });
      x += c.width;
    }
    return y + h + 2;
  };
  let y = drawHeader(y0);
  rows.forEach((row, i) => {
    // An empty paragraph in a stacked cell would print as a blank line above the others.
    const paras = row.map((cell) => (Array.isArray(cell) ? (cell as unknown[]).filter((p) => p !== '' && p !== null && p !== undefined) : [cell])).map((ps) => (ps.length ? ps : ['']));
    const heights = columns.map((c, j) => paras[j].reduce<number>((h, p) => h + measure(doc, p, c.width - 2 * pad, size, c.mono, false, c.maxLines ?? DEFAULT_CELL_LINES), 0));
    const rowH = Math.max(...heights) + 4;
    if (y + rowH > BOTTOM) {
      doc.addPage();
      y = drawHeader(PAGE.margin);
    }
    if (i % 2 === 1) doc.rect(PAGE.margin, y - 1, CONTENT_W, rowH).fill('#f6f6f6');
    let x = PAGE.margin + pad;
    columns.forEach((c, j) => {
      let cy = y + 1;
      for (const p of paras[j]) cy += text(doc, p, x, cy, c.width - 2 * pad, { size, mono: c.mono, lines: c.maxLines ?? DEFAULT_CELL_LINES });
      x += c.width;
    });
    y += rowH;
  });
  return y;
}

/** Height `text` would use for this value, with the same font and line cap. */
function measure(doc: Doc, value: unknown, width: number, size: number, mono = false, bold = false, lines = DEFAULT_CELL_LINES): number {
  doc.font(mono ? 'Courier' : bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
  const lineH = doc.currentLineHeight(true);
  const h = doc.heightOfString(pdfText(value), { width });
  return Math.max(lineH, Math.min(h, lineH * lines));
}

/** Start a new page when fewer than `h` points are left; returns the y to draw at. */
export function room(doc: Doc, y: number, h: number): number {
  if (y + h <= BOTTOM) return y;
  doc.addPage();
  return PAGE.margin;
}

/**
 * A paragraph that may be long (an analyst's summary, capped at 20,000 characters): PDFKit flows
 * it onto further pages itself instead of cutting it. Returns the y after it.
 */
export function paragraph(doc: Doc, value: unknown, y: number, o: TextOpts = {}): number {
  const size = o.size ?? 9;
  doc.font(o.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size).fillColor(o.colour ?? '#111111');
  // Two lines at least on this page, so a paragraph never starts with its last line alone.
  const at = room(doc, y, 2 * doc.currentLineHeight(true));
  doc.text(pdfText(value, 20_000), PAGE.margin, at, { width: CONTENT_W });
  return doc.y + 2;
}
