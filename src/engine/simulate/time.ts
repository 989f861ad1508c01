/** Time helpers. Simulated time is integer microseconds since the epoch, like AuditEvent.timeUs. */

export const MINUTE_US = 60_000_000;
export const HOUR_US = 60 * MINUTE_US;
export const DAY_US = 24 * HOUR_US;

let cachedMinute = -1;
let cachedPrefix = '';
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** RFC 3339 with microseconds, as kube-apiserver writes requestReceivedTimestamp. */
export function rfc3339us(us: number): string {
  const min = Math.floor(us / 60_000_000);
  // Formatting a Date is the hot spot of serialization; actors interleave times within a minute,
  // so the cache is per minute rather than per second.
  if (min !== cachedMinute) {
    cachedMinute = min;
    cachedPrefix = new Date(min * 60_000).toISOString().slice(0, 17);
  }
  const rest = us - min * 60_000_000;
  const sec = Math.floor(rest / 1_000_000);
  const micro = rest - sec * 1_000_000;
  return `${cachedPrefix}${TWO[sec]}.${micro < 100_000 ? String(micro).padStart(6, '0') : micro}Z`;
}

/** RFC 3339 to the second, as `metadata.creationTimestamp` is written. */
export function rfc3339s(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 19) + 'Z';
}

export function parseStart(s: string): number {
  const ms = Date.parse(s);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(s)) throw new Error(`not an RFC 3339 time: ${s}`);
  return ms * 1000;
}

/** Hour of day (fractional) in a zone `offsetH` hours east of UTC. */
export function hourOf(us: number, offsetH = 0): number {
  const h = (us / HOUR_US + offsetH) % 24;
  return h < 0 ? h + 24 : h;
}

/** 0 = Sunday … 6 = Saturday, in the same zone. */
export function weekdayOf(us: number, offsetH = 0): number {
  return new Date(Math.floor(us / 1000) + offsetH * 3_600_000).getUTCDay();
}

/**
 * How busy people are: near zero at night and at weekends, peaking mid-morning and mid-afternoon.
 * A smooth curve rather than a step keeps session boundaries from lining up on the hour.
 */
export function workRhythm(us: number, offsetH: number): number {
  const h = hourOf(us, offsetH);
  const wd = weekdayOf(us, offsetH);
  const weekend = wd === 0 || wd === 6 ? 0.08 : 1;
  const day = Math.exp(-((h - 10.5) ** 2) / 4) + 0.9 * Math.exp(-((h - 15) ** 2) / 5);
  return weekend * (0.02 + day);
}

/** Machines follow people loosely: more pods churn in the day, never zero. */
export function loadRhythm(us: number, offsetH: number): number {
  return 0.6 + 0.4 * workRhythm(us, offsetH);
}
