/**
 * Which rows of a fixed-row-height list to render: those in view plus `overscan` on each side, so
 * the DOM holds a few dozen rows whether the list has a hundred or a hundred thousand.
 */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 10): { first: number; last: number } {
  const first = Math.max(0, Math.min(count, Math.floor(scrollTop / rowHeight) - overscan));
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}
