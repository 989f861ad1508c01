import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';

const hasPoppler = ((): boolean => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The text of a PDF. pdftotext when installed; otherwise the text operators of PDFKit's own
 * output (Flate streams, hex strings in TJ arrays, WinAnsi), which is all this needs to read.
 */
export function pdfToText(pdf: Buffer): string {
  if (hasPoppler) {
    const file = join(tmpdir(), `gumshoe-pdf-${process.pid}-${Date.now()}.pdf`);
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', [file, '-'], { encoding: 'latin1' });
  }
  return pdfkitText(pdf);
}

/** Text of PDFKit output without poppler: inflate content streams, decode hex strings in TJ arrays. */
export function pdfkitText(pdf: Buffer): string {
  const out: string[] = [];
  const bin = pdf.toString('latin1');
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(bin))) {
    const start = m.index + m[0].length;
    const end = bin.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const arr of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[^\]])*)\]\s*TJ/g)) {
      out.push([...arr[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''));
    }
  }
  return out.join('\n');
}

export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}
