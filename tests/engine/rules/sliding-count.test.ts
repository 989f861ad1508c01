import { describe, expect, it } from 'vitest';
import { WindowCounter } from '../../../src/engine/rules/sliding-count.ts';

describe('WindowCounter', () => {
  it('fires when the count inside the window reaches the threshold, then stays quiet for a window', () => {
    const w = new WindowCounter({ windowUs: 60, threshold: 3 });
    expect(w.add('a', 0)).toBeNull();
    expect(w.add('a', 10)).toBeNull();
    expect(w.add('a', 20)).toBe(3);
    expect(w.add('a', 30)).toBeNull(); // same burst
    expect(w.add('b', 30)).toBeNull(); // keys are independent
    // Old timestamps slide out: at 200 only 200 is in the window.
    expect(w.add('a', 200)).toBeNull();
  });

  it('counts distinct values and forgets values that left the window', () => {
    const w = new WindowCounter({ windowUs: 100, threshold: 3 });
    expect(w.addDistinct('a', 'pods', 0)).toBeNull();
    expect(w.addDistinct('a', 'pods', 1)).toBeNull();
    expect(w.addDistinct('a', 'secrets', 2)).toBeNull();
    expect(w.addDistinct('a', 'nodes', 150)).toBeNull(); // pods (t=1) and secrets (t=2) expired
    expect(w.addDistinct('a', 'pods', 160)).toBeNull();
    expect(w.addDistinct('a', 'roles', 170)).toBe(3);
  });

  it('stays bounded in keys and per-key memory on adversarial input', () => {
    const w = new WindowCounter({ windowUs: 1e12, threshold: 5, maxKeys: 100 });
    for (let i = 0; i < 100_000; i++) w.add(`actor-${i}`, i);
    expect(w.size).toBe(100);
    // The least recently seen keys were evicted, the newest kept: a fresh key starts from zero.
    for (let i = 0; i < 4; i++) expect(w.add('actor-0', 200_000 + i)).toBeNull();
    expect(w.add('actor-0', 200_010)).toBe(5);
    const one = new WindowCounter({ windowUs: 1e12, threshold: 5 });
    for (let i = 0; i < 10_000; i++) one.addDistinct('k', `v${i}`, i);
    expect(one.size).toBe(1);
  });
});
