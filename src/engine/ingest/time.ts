/**
 * Timestamps as kube-apiserver and the cloud exports write them, to integer microseconds since
 * the epoch (AuditEvent.timeUs). metav1.MicroTime has 6 fractional digits, cloud exports up to 9;
 * digits past the 6th are truncated, not rounded, so ordering within a microsecond is preserved.
 */

/**
 * Named in AuditEvent.missing when an event carries no time at all (none of its own, none from a
 * wrapper). Its timeUs is then 0, which the store counts as undated: never a real audit time.
 */
export const UNKNOWN_TIME = 'time';

// Parsing the date part dominates; consecutive events almost always share their second.
let lastPrefix = '';
let lastPrefixUs = 0;

/**
 * RFC 3339 string, epoch-ms number (CloudWatch) or null; null when absent or unparseable, and
 * for the epoch itself or before it: exporters write Go's zero time (0001-01-01T00:00:00Z) or 0
 * for "no time", and no Kubernetes audit log predates 1970.
 */
export function parseTimeUs(v: unknown): number | null {
  const us = typeof v === 'string' ? parseRfc3339Us(v) : typeof v === 'number' && Number.isFinite(v) ? epochNumberToUs(v) : null;
  return us !== null && us > 0 ? us : null;
}

/** CloudWatch writes milliseconds; some tools write seconds. Magnitude tells them apart. */
function epochNumberToUs(n: number): number {
  if (n > 1e14) return Math.trunc(n); // already µs
  if (n > 1e11) return Math.trunc(n * 1000); // ms
  return Math.trunc(n * 1_000_000); // s
}

export function parseRfc3339Us(s: string): number | null {
  // 'YYYY-MM-DDTHH:MM:SS' is 19 chars; anything shorter is not a full timestamp.
  if (s.length < 20 || (s.charCodeAt(10) !== 84 /* T */ && s.charCodeAt(10) !== 32) /* space */) return null;
  let baseUs: number;
  // startsWith avoids allocating the prefix on the common path.
  if (lastPrefix !== '' && s.startsWith(lastPrefix)) {
    baseUs = lastPrefixUs;
  } else {
    const prefix = s.slice(0, 19);
    const ms = Date.parse(`${prefix}Z`);
    if (!Number.isFinite(ms)) return null;
    baseUs = ms * 1000;
    lastPrefix = prefix;
    lastPrefixUs = baseUs;
  }
  let i = 19;
  let frac = 0;
  if (s.charCodeAt(i) === 46 /* . */) {
    i++;
    let digits = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (digits < 6) frac = frac * 10 + c;
      digits++;
    }
    for (; digits < 6; digits++) frac *= 10;
  }
  if (i === s.length || (i === s.length - 1 && (s.charCodeAt(i) | 32) === 122) /* Z or z */) return baseUs + frac;
  const zone = s.slice(i);
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return null;
  const offsetUs = (Number(m[2]) * 60 + Number(m[3])) * 60_000_000;
  return baseUs + frac + (m[1] === '+' ? -offsetUs : offsetUs);
}
