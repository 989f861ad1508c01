import { capDepth } from '../engine/ingest/depth.ts';

/** Printed JSON keeps this many levels when a value is too deep to print whole: the ingest's own cap. */
const PRINT_DEPTH = 256;

/**
 * Text read from evidence is written by whoever controlled the cluster, and the CLI prints it on
 * the analyst's terminal. Printed raw, ESC sequences rewrite the screen, CR and BS overwrite what
 * was already printed ("…FAKE admin deleted everything" on a line of its own), LF forges a row,
 * and a bidi override (U+202E) makes `exe.gnp` read as `png.exe`. Every string that comes from a
 * case goes through `termSafe` (text) or `jsonSafe` (--json) before it reaches stdout or stderr.
 *
 * What is escaped, and why each class:
 * - Cc: C0 controls U+0000–U+001F (ESC, CR, LF, BS, TAB…), DEL, C1 controls U+0080–U+009F (U+009B
 *   is a one-byte CSI to some terminals).
 * - Cf: invisible format characters, among them the bidi embeddings/overrides U+202A–U+202E and
 *   isolates U+2066–U+2069, the marks U+200E/U+200F/U+061C, zero-width U+200B–U+200D, U+FEFF,
 *   soft hyphen, and the tag characters U+E0000–U+E007F that hide text.
 * - Zl/Zp: U+2028/U+2029, which some terminals and viewers break lines on.
 * - Cs: a lone surrogate (not UTF-8-encodable; it would print as U+FFFD and hide what was there).
 *
 * Backslash is left alone so ordinary text reads as it is; `--json` gives the exact value when a
 * literal "\x1b" in a log must be told from an escaped ESC.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** One unsafe character as a visible escape: \x1b, \u202e, \u{e0041}. */
function escapeChar(c: string): string {
  const cp = c.codePointAt(0) as number;
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\u{${hex(cp, 5)}}`;
}

/** An untrusted string made safe to print on a terminal: every control or invisible character becomes a visible escape. */
export function termSafe(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

/** In JSON text these can only sit inside string literals, so \uXXXX for them is the same value. */
const JSON_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * JSON.stringify, but with no raw control or invisible character in the text: JSON.stringify
 * escapes only U+0000–U+001F and lone surrogates, and leaves C1 controls, U+2028/9 and the bidi
 * overrides raw, so `gumshoe events --json` on a terminal would still be reordered. Here they are
 * written as \uXXXX escapes (a pair for astral ones), which parse back to the identical string.
 */
export function jsonSafe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    // An event stored before ingest capped nesting can be deeper than JSON.stringify's stack:
    // print it with its deep part replaced by the marker (the raw record keeps it whole).
    if (!(err instanceof RangeError)) throw err;
    capDepth(value, PRINT_DEPTH);
    text = JSON.stringify(value);
  }
  return text.replace(JSON_UNSAFE, (c) => {
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${hex(c.charCodeAt(i), 4)}`;
    return out;
  });
}
