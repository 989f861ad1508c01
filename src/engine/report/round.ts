/** Significant digits a setting or metric is printed with: 0.006123456789 reads 0.00612. */
const DIGITS = 3;
/** Elements of a list printed before "… (N in all)": the appendix is for reading, the JSON has all. */
const LIST = 8;
/** Nesting flattened into dotted keys before a value is printed whole. */
const DEPTH = 3;

export function roundNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return String(Number(v.toPrecision(DIGITS)));
}

/**
 * A settings or metrics object as `key: value` lines for people: numbers to three significant
 * digits, long lists shortened, nested objects as dotted keys.
 */
export function settingLines(obj: Record<string, unknown> | null, prefix = '', depth = 0): [string, string][] {
  if (!obj) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < DEPTH) out.push(...settingLines(v as Record<string, unknown>, key, depth + 1));
    else out.push([key, valueText(v)]);
  }
  return out;
}

function valueText(v: unknown): string {
  if (typeof v === 'number') return roundNumber(v);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '(none)';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) {
    // A list of records (a training history) is data, not a setting: count it, the JSON has it.
    if (v.some((x) => x !== null && typeof x === 'object')) return `${v.length} entries (in the JSON export)`;
    const shown = v.slice(0, LIST).map(valueText).join(', ');
    return v.length > LIST ? `${shown}, ... (${v.length} in all)` : `[${shown}]`;
  }
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isInteger(x) ? Number(x.toPrecision(DIGITS)) : x));
}
