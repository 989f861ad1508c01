import { describe, expect, it } from 'vitest';
import { ringPositions } from '../../../src/renderer/src/components/graph-layout.ts';

describe('ringPositions', () => {
  // A star like a session's: one actor (hub) touching many objects, plus one mid-degree resource.
  const ids = ['obj-0', 'hub', ...Array.from({ length: 199 }, (_, i) => `obj-${i + 1}`), 'res'];
  const edges = [...ids.filter((id) => id.startsWith('obj')).map((id) => ({ source: 'hub', target: id, weight: 1 })), { source: 'res', target: 'obj-1', weight: 3 }];
  const pos = ringPositions(ids, edges, 18);
  const r = (id: string): number => Math.hypot(pos.get(id)!.x, pos.get(id)!.y);

  it('places every node once, the highest degree in the middle and lower degrees further out', () => {
    expect(pos.size).toBe(ids.length);
    expect(r('hub')).toBe(0);
    expect(r('res')).toBeGreaterThan(0);
    expect(r('res')).toBeLessThanOrEqual(r('obj-150'));
  });

  it('keeps nodes on one ring at least the spacing apart', () => {
    const points = [...pos.values()];
    let closest = Infinity;
    for (let i = 0; i < points.length; i++) for (let j = i + 1; j < points.length; j++) closest = Math.min(closest, Math.hypot(points[i].x - points[j].x, points[i].y - points[j].y));
    expect(closest).toBeGreaterThanOrEqual(18 - 1e-6);
  });

  it('draws the same graph the same way', () => {
    expect([...ringPositions(ids, edges, 18)]).toEqual([...pos]);
  });
});
