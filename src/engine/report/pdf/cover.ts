import { createHash } from 'node:crypto';
import type { CaseExport } from '../schema.ts';
import { BOTTOM, CONTENT_W, PAGE, text, type Doc } from './draw.ts';

/** One digest over the inventory's acquisition hashes: a single value to quote on the signed cover. */
export function inventoryDigest(exp: CaseExport): string {
  const h = createHash('sha256');
  for (const e of [...exp.evidence].sort((a, b) => a.path.localeCompare(b.path))) h.update(`${e.sha256 ?? '-'}  ${e.path}\n`);
  return h.digest('hex');
}

const BLANK = '______________________________';

/** Page 1: what the case is, who asked, who examined it, what was examined, and the signature line. */
export function drawCover(doc: Doc, exp: CaseExport): void {
  const x = PAGE.margin;
  let y = 110;
  y += text(doc, 'Kubernetes audit log investigation', x, y, CONTENT_W, { size: 24, bold: true }) + 6;
  y += text(doc, `Case ${exp.case.caseNumber ?? exp.case.name}`, x, y, CONTENT_W, { size: 16, lines: 2 }) + 24;
  const verified = exp.evidence.filter((e) => e.verification.status === 'match').length;
  const bad = exp.evidence.filter((e) => ['mismatch', 'missing', 'unreadable'].includes(e.verification.status));
  const facts: [string, string, number?][] = [
    ['Case number', exp.case.caseNumber ?? BLANK],
    ['Case directory', exp.case.name],
    ['Requested by', exp.case.requester ?? BLANK],
    ['Scope', exp.case.scope ?? BLANK, 5],
    ['Examiner', exp.case.examiner ?? BLANK],
    ['Report date', exp.exportedAt],
    ['Tool', `gumshoe ${exp.tool.version} (node ${exp.tool.node}, ${exp.tool.platform})`],
    ['Events', `${exp.case.events.toLocaleString('en-US')}${exp.case.from ? `, ${exp.case.from} to ${exp.case.to}` : ''}`, 2],
    ['Evidence', `${exp.evidence.length} items; ${verified} re-hashed at export and matching${bad.length ? `; ${bad.length} NOT VERIFIED (see inventory)` : ''}`, 2],
    ['Inventory digest', `SHA-256 ${inventoryDigest(exp)}`, 2],
    ['Incidents', counts(exp.incidents)],
    ['Findings', counts(exp.findings)],
  ];
  for (const [k, v, lines] of facts) {
    text(doc, k, x, y, 110, { size: 10, bold: true });
    y += text(doc, v, x + 115, y, CONTENT_W - 115, { size: 10, lines: lines ?? 2, mono: k === 'Inventory digest' }) + 7;
  }
  if (bad.length) y += text(doc, 'WARNING: some evidence could not be re-verified; findings citing it must be treated with caution.', x, y + 6, CONTENT_W, { size: 10, bold: true, colour: '#c62828', lines: 2 }) + 10;
  y = Math.max(y + 30, 640);
  doc.moveTo(x, y + 40).lineTo(x + 220, y + 40).lineWidth(0.7).strokeColor('#333333').stroke();
  doc.moveTo(x + 280, y + 40).lineTo(x + 440, y + 40).stroke();
  text(doc, `Signature of the examiner${exp.case.examiner ? ` (${exp.case.examiner})` : ''}`, x, y + 44, 260, { size: 8 });
  text(doc, 'Date', x + 280, y + 44, 160, { size: 8 });
  text(doc, 'Log strings in this report are data from the evidence, printed as text; characters outside Latin-1 are transliterated or shown as [U+XXXX].', x, BOTTOM - 24, CONTENT_W, { size: 7, colour: '#666666', lines: 2 });
}

function counts(items: readonly { severity: string }[]): string {
  const order = ['critical', 'high', 'medium', 'low', 'info'] as const;
  const parts = order.map((s) => [s, items.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  return parts.length ? `${items.length}: ${parts.map(([s, n]) => `${n} ${s}`).join(', ')}` : 'none';
}
