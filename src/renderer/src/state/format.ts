/** An audit time (µs since the epoch) as RFC 3339 UTC to the second: audit times are UTC evidence. */
export function isoUs(us: number | null | undefined): string {
  if (us === null || us === undefined) return '—';
  return new Date(Math.floor(us / 1000)).toISOString().replace('.000Z', 'Z');
}

/** An object's entity key from an event's fields, or null when the event names no object. */
export function objectKeyOf(resource: string | null, namespace: string | null, name: string | null): string | null {
  if (!resource || !name) return null;
  return `${resource}/${namespace ?? ''}/${name}`;
}

/** Save text as a file the browser (or Electron's save dialog) offers to the analyst. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A journal time (RFC 3339, UTC) to the second, for lists: the milliseconds say nothing to a reader. */
export function atSecond(at: string): string {
  return at.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
