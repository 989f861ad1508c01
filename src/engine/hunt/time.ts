/** RFC 3339 in UTC with microseconds: audit timestamps carry µs and exports must not round them away. */
export function usToRfc3339(us: number): string {
  const ms = Math.floor(us / 1000);
  const micro = us - ms * 1000;
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}${String(micro).padStart(3, '0')}Z`;
}

/**
 * A time for prose: `at 2024-…Z`, or `(time unknown)` for an undated event. The ingest keeps
 * events with no time at timeUs 0 (with 'time' in `missing`); printed as a time, that reads as
 * 1970-01-01, which no audit log holds.
 */
export function atTimeText(us: number, word = 'at'): string {
  return us > 0 ? `${word} ${usToRfc3339(us)}` : '(time unknown)';
}

/** Inverse of usToRfc3339 for any RFC 3339 string with up to µs precision. */
export function rfc3339ToUs(text: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) throw new Error(`not an RFC 3339 time: ${text}`);
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return Date.parse(`${m[1]}${m[3]}`) * 1000 + Number(frac);
}
