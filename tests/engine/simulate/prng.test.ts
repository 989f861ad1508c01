import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/simulate/prng.ts';
import { pickTime } from '../../../src/engine/simulate/scenario-kit.ts';
import { DAY_US, HOUR_US, parseStart, rfc3339us, workRhythm } from '../../../src/engine/simulate/time.ts';

describe('Rng', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const xs = Array.from({ length: 50 }, () => a.u32());
    expect(Array.from({ length: 50 }, () => b.u32())).toEqual(xs);
    expect(new Rng('y').u32()).not.toBe(xs[0]);
  });

  it('draws uniform-looking values, in range', () => {
    const r = new Rng('u');
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[r.int(0, 2)]++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
    let p = 0;
    for (let i = 0; i < 2000; i++) p += r.poisson(4);
    expect(p / 2000).toBeGreaterThan(3.8);
    expect(p / 2000).toBeLessThan(4.2);
  });

  it('mints version-4 UUIDs', () => {
    const r = new Rng('ids');
    const ids = new Set(Array.from({ length: 1000 }, () => r.uuid()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('time', () => {
  it('formats microseconds as kube-apiserver does', () => {
    const t = parseStart('2024-03-04T10:00:00Z');
    expect(rfc3339us(t + 1)).toBe('2024-03-04T10:00:00.000001Z');
    expect(rfc3339us(t + 59_999_999)).toBe('2024-03-04T10:00:59.999999Z');
    expect(rfc3339us(t - 1)).toBe('2024-03-04T09:59:59.999999Z');
  });

  it('makes people busy on weekday mornings, not at night or on Sunday', () => {
    const monday = parseStart('2024-03-04T00:00:00Z');
    expect(workRhythm(monday + 10 * HOUR_US, 0)).toBeGreaterThan(20 * workRhythm(monday + 3 * HOUR_US, 0));
    expect(workRhythm(monday + 10 * HOUR_US, 0)).toBeGreaterThan(5 * workRhythm(monday - DAY_US + 10 * HOUR_US, 0));
  });

  it('places night scenarios at night and working-hours ones on weekdays', () => {
    const start = parseStart('2024-03-04T00:00:00Z');
    const end = start + 7 * DAY_US;
    const r = new Rng('when');
    for (let i = 0; i < 50; i++) {
      const n = new Date(pickTime(r, 'night', start, end) / 1000);
      expect(n.getUTCHours()).toBeGreaterThanOrEqual(1);
      expect(n.getUTCHours()).toBeLessThan(5);
      const w = new Date(pickTime(r, 'work', start, end) / 1000);
      expect([0, 6]).not.toContain(w.getUTCDay());
      expect(w.getUTCHours()).toBeGreaterThanOrEqual(9);
      const a = pickTime(r, 'any', start, end);
      expect(a > start && a < end - HOUR_US).toBe(true);
    }
  });
});
