import { describe, expect, it } from 'vitest';
import { jsonSafe, termSafe } from '../../src/cli/sanitize.ts';

describe('termSafe', () => {
  it('turns C0, DEL and C1 controls into \\xNN', () => {
    expect(termSafe('a\u001b[31mb\rc\bd\te\nf\u007fg\u0085h\u009bi\u0000')).toBe('a\\x1b[31mb\\x0dc\\x08d\\x09e\\x0af\\x7fg\\x85h\\x9bi\\x00');
  });

  it('turns bidi controls, marks and invisible format characters into \\uNNNN or \\u{N}', () => {
    const bidi = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
    for (const c of bidi) expect(termSafe(`x${c}y`)).toBe(`x\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}y`);
    expect(termSafe('a\u200Bb\u200Dc\uFEFFd\u00ADe\u2028f\u2029g')).toBe('a\\u200bb\\u200dc\\ufeffd\\xade\\u2028f\\u2029g');
    expect(termSafe('tag\u{E0041}\u{E007F}')).toBe('tag\\u{e0041}\\u{e007f}');
  });

  it('escapes lone surrogates but keeps real astral characters, accents and backslashes', () => {
    expect(termSafe('x\uD800y\uDC00z')).toBe('x\\ud800y\\udc00z');
    expect(termSafe('naïve — ✓ 𝄞 日本 C:\\path')).toBe('naïve — ✓ 𝄞 日本 C:\\path');
  });
});

describe('jsonSafe', () => {
  it('escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { user: 'kubectl\u202Egnp.exe', c1: '\u009b31m', ls: 'a\u2028b', tag: '\u{E0041}', esc: '\u001b', ok: 'naïve 𝄞' };
    const raw = JSON.stringify(value);
    expect(raw).toMatch(/[\u202E\u009B\u2028]/u);
    const safe = jsonSafe(value);
    expect(safe).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    expect(safe).toContain('\\u202e');
    expect(safe).toContain('\\udb40\\udc41');
    expect(JSON.parse(safe)).toEqual(value);
  });
});

describe('jsonSafe on values too deep to stringify', () => {
  it('prints an event nested 20,000 deep with its deep part replaced by the marker', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const text = jsonSafe({ auditID: 'x', requestObject: deep });
    const back = JSON.parse(text) as { auditID: string };
    expect(back.auditID).toBe('x');
    expect(text).toContain('nested deeper than 256 levels');
  });
});
