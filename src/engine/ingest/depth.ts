/**
 * JSON nesting depth, measured and capped without recursion. JSON.parse is iterative in V8 and
 * takes any depth, but everything after it that walks a value recursively does not:
 * JSON.stringify (the store's columns, synthetic auditIDs), the CLI's printers and the renderer's
 * tree all overflow the stack somewhere between 1,000 and 10,000 levels. A record deeper than
 * the cap is kept with its deep part replaced by a marker; its original text is kept as its raw
 * record either way.
 */

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Whether the JSON text nests objects and arrays more than `max` levels deep, brackets inside
 * strings ignored. This runs on every record, so the character loop (about as slow as JSON.parse
 * itself) is only entered when the text holds more than `max` opening brackets at all: counting
 * them with indexOf runs at GB/s, and an ordinary event holds a few dozen.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  if (text.length <= 2 * max || !moreOpenersThan(text, max)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/**
 * Whether the text holds more than `max` JSON values, counted from above as its '{', '[' and ','
 * characters (strings included: an overcount only). A text of `max` characters or fewer cannot,
 * so only big records are counted, with indexOf (native, GB/s).
 */
export function holdsMoreValuesThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let n = 0;
  for (const ch of ['{', '[', ',']) {
    for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) if (++n > max) return true;
  }
  return false;
}

/** Whether the text holds more than `max` '{' or '[' characters, strings included (indexOf, GB/s). */
export function moreOpenersThan(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++n > max) return true;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) if (++n > max) return true;
  return false;
}

/** What stands in for a part of a record nested past the cap. */
export function depthMarker(max: number): string {
  return `[gumshoe: nested deeper than ${max} levels; this part is cut here, the raw record holds it whole]`;
}

/**
 * Replaces, in place, every object or array found more than `max` levels down in a parsed value
 * (the root being level 1) by the marker string. Iterative: an explicit stack of containers.
 * Returns how many parts were cut. The root itself is never replaced.
 */
export function capDepth(root: unknown, max: number): number {
  if (typeof root !== 'object' || root === null) return 0;
  const marker = depthMarker(max);
  let cut = 0;
  const stack: { node: Record<string, unknown> | unknown[]; depth: number }[] = [{ node: root as Record<string, unknown>, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: Record<string, unknown> | unknown[]; depth: number };
    const keys = Array.isArray(node) ? null : Object.keys(node);
    const n = keys === null ? (node as unknown[]).length : keys.length;
    for (let i = 0; i < n; i++) {
      const k = keys === null ? i : keys[i];
      const child = (node as Record<string | number, unknown>)[k];
      if (typeof child !== 'object' || child === null) continue;
      if (depth + 1 > max) {
        (node as Record<string | number, unknown>)[k] = marker;
        cut++;
      } else stack.push({ node: child as Record<string, unknown>, depth: depth + 1 });
    }
  }
  return cut;
}
