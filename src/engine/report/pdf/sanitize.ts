/**
 * PDFKit's standard 14 fonts encode WinAnsi (about Latin-1): anything else would print as garbage
 * or throw. Log strings are attacker-controlled data, so every string that reaches the PDF goes
 * through here: known typography is transliterated, accents are stripped after NFKD, and invisible
 * or direction-changing code points (NUL, C0/C1 controls, bidi overrides, zero-width characters)
 * are shown as visible [U+XXXX] tokens, so an analyst sees that they were there instead of having
 * the text silently reordered or hidden. Nothing is ever interpreted: `<script>` prints as text.
 */
const TRANSLIT: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201C': '"', '\u201D': '"', '\u201E': '"',
  '\u2013': '-', '\u2014': '--', '\u2026': '...', '\u2022': '*', '\u2192': '->', '\u2190': '<-',
  '\u2264': '<=', '\u2265': '>=', '\u2260': '!=', '\u00A0': ' ', '\u2212': '-', '\u00D7': 'x',
};

const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/u;

const token = (cp: number): string => `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`;

/** A string safe to draw with a standard PDF font, at most `max` characters (then "..."). */
export function pdfText(value: unknown, max = 2000): string {
  const s = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n' || ch === '\t') out += ' ';
    else if (INVISIBLE.test(ch)) out += token(cp);
    else if (TRANSLIT[ch] !== undefined) out += TRANSLIT[ch];
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else if (cp >= 0xa0 && cp <= 0xff) out += ch;
    else {
      // NFKD splits "é" into "e" + a combining accent and "ﬁ" into "fi"; keep what is Latin-1 after.
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...base].every((c) => { const p = c.codePointAt(0)!; return (p >= 0x20 && p <= 0x7e) || (p >= 0xa0 && p <= 0xff); }) && base !== '' ? base : token(cp);
    }
    if (out.length > max) return `${out.slice(0, Math.max(0, max - 3))}...`;
  }
  return out;
}
