import { UserError } from '../engine/util/errors.ts';

/** RFC 3339 with microseconds, UTC: the precision audit logs carry. */
export function formatUs(us: number): string {
  // Undated events are kept at 0 with 'time' in `missing` (docs/formats.md): never print them as 1970.
  if (us === 0) return '(time unknown)';
  const ms = Math.floor(us / 1000);
  const frac = String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

/** Parse an RFC 3339 timestamp (any fraction, Z or offset) to µs; a date alone means its midnight UTC. */
export function parseRfc3339(text: string, flag: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2}))?$/.exec(text.trim());
  if (!m) throw new UserError(`${flag}: '${text}' is not an RFC 3339 time (e.g. 2026-11-02T09:30:00Z)`);
  const [, date, time = '00:00:00', frac = '', zone = 'Z'] = m;
  const ms = Date.parse(`${date}T${time}${zone.toUpperCase()}`);
  if (Number.isNaN(ms)) throw new UserError(`${flag}: '${text}' is not a valid time`);
  return ms * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}
