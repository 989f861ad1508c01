import { describe, expect, it } from 'vitest';
import { visibleRange } from '../../../src/renderer/src/components/virtual-window.ts';

describe('visibleRange', () => {
  it('renders a bounded window of a 100K-row list wherever it is scrolled', () => {
    const rows = 100_000;
    for (const scrollTop of [0, 32 * 50_000 + 7, 32 * rows - 560]) {
      const { first, last } = visibleRange(scrollTop, 560, 32, rows);
      expect(last - first).toBeLessThanOrEqual(Math.ceil(560 / 32) + 1 + 20);
      // The rows actually in view are inside the window.
      expect(first).toBeLessThanOrEqual(Math.floor(scrollTop / 32));
      expect(last).toBeGreaterThanOrEqual(Math.min(rows, Math.ceil((scrollTop + 560) / 32)));
    }
  });

  it('clamps at both ends and handles an empty list', () => {
    expect(visibleRange(0, 560, 32, 5)).toEqual({ first: 0, last: 5 });
    expect(visibleRange(1e9, 560, 32, 5)).toEqual({ first: 5, last: 5 });
    expect(visibleRange(0, 560, 32, 0)).toEqual({ first: 0, last: 0 });
  });
});
