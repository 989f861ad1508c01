import { describe, expect, it } from 'vitest';
import { formatUs } from '../../src/cli/time.ts';

describe('formatUs', () => {
  it('prints µs precision in UTC, and an undated event (kept at 0) as time unknown, never 1970', () => {
    expect(formatUs(1_709_510_400_123_456)).toBe('2024-03-04T00:00:00.123456Z');
    expect(formatUs(0)).toBe('(time unknown)');
  });
});
