// Wording both the engine (journal lines, the report) and the renderer use, so the two never say
// one size two ways.

/** Decimal units, as file managers show them (1.2 MB is 1,200,000 bytes): the analyst compares with theirs. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
