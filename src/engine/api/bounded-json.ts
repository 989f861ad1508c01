/**
 * How deep an answer may nest before its deeper parts are replaced by a marker. Real audit events
 * nest a dozen levels (requestObject → spec → template → spec → containers → …); a CRD's schema
 * reaches thirty or so. 64 keeps every real one whole, and still far from the depth (a few
 * thousand) at which V8's recursive JSON.stringify runs out of stack.
 */
export const MAX_ANSWER_DEPTH = 64;

/** What stands in for a value nested past MAX_ANSWER_DEPTH; the raw record still has it whole. */
export const TOO_DEEP = `[nested deeper than ${MAX_ANSWER_DEPTH} levels: see the raw record]`;

/**
 * JSON text for an answer, whatever its shape. The plain stringify is tried first (every real
 * answer); only when it fails for depth is the value copied with its deep parts cut.
 */
export function stringifyAnswer(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return JSON.stringify(capDepth(value, MAX_ANSWER_DEPTH)) ?? 'null';
  }
}

/** A copy of `value` in which anything below `max` levels of arrays and objects is TOO_DEEP. */
export function capDepth(value: unknown, max: number, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= max) return TOO_DEEP;
  // The recursion stops at `max`, so it cannot run out of stack however deep the input is.
  if (Array.isArray(value)) return value.map((v) => capDepth(v, max, depth + 1));
  const source = value as { toJSON?: () => unknown };
  if (typeof source.toJSON === 'function') return capDepth(source.toJSON(), max, depth);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = capDepth(v, max, depth + 1);
  return out;
}

/**
 * Whether `value` nests arrays and objects more than `max` levels deep. Iterative, so any depth
 * can be asked about; it stops at the first part found too deep.
 */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
