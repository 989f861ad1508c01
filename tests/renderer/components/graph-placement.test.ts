import { describe, expect, it } from 'vitest';
import type { Point } from '../../../src/renderer/src/components/graph-layout.ts';
import { fitViewport, placeOpened } from '../../../src/renderer/src/components/graph-placement.ts';

// A folded view as the force layout left it: hubs round the middle, two groups either side.
const drawn = new Map<string, Point>([
  ['ip', { x: 0, y: 0 }],
  ['decision', { x: 10, y: 30 }],
  ['configmaps', { x: 60, y: -5 }],
  ['secrets', { x: -70, y: 12 }],
]);
const configmaps = Array.from({ length: 300 }, (_, i) => `c${i}`);
const secrets = Array.from({ length: 40 }, (_, i) => `s${i}`);
const groups = [
  { id: 'configmaps', members: configmaps },
  { id: 'secrets', members: secrets },
];
const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
function closest(points: Point[]): number {
  let d = Infinity;
  for (let i = 0; i < points.length; i++) for (let j = i + 1; j < points.length; j++) d = Math.min(d, dist(points[i], points[j]));
  return d;
}

describe('placeOpened', () => {
  it('leaves what was drawn where it was and opens a group outward from where it stood', () => {
    const at = placeOpened(['ip', 'decision', 'secrets', ...configmaps], drawn, groups, 18)!;
    for (const id of ['ip', 'decision', 'secrets']) expect(at.get(id)).toEqual(drawn.get(id));
    const members = configmaps.map((m) => at.get(m)!);
    expect(members).toHaveLength(300);
    // Every member lies further out than the group did from the middle of what stayed, on its side.
    const middle = { x: (0 + 10 - 70) / 3, y: (0 + 30 + 12) / 3 };
    const reach = dist(drawn.get('configmaps')!, middle);
    for (const p of members) {
      expect(dist(p, middle)).toBeGreaterThan(reach);
      expect(p.x).toBeGreaterThan(0);
    }
    expect(closest(members)).toBeGreaterThanOrEqual(18 - 1e-9);
  });

  it('keeps discs opened together apart from each other', () => {
    const at = placeOpened(['ip', 'decision', ...configmaps, ...secrets], drawn, groups, 18)!;
    const a = configmaps.map((m) => at.get(m)!);
    const b = secrets.map((m) => at.get(m)!);
    let across = Infinity;
    for (const p of a) for (const q of b) across = Math.min(across, dist(p, q));
    expect(across).toBeGreaterThanOrEqual(18);
  });

  it('gives up on a node it never drew that no opened group explains', () => {
    expect(placeOpened(['ip', 'stranger'], drawn, groups)).toBeNull();
    // A group that was never drawn has no place to open from either.
    expect(placeOpened(['ip', 'x0'], drawn, [{ id: 'x', members: ['x0'] }])).toBeNull();
  });

  it('places the same view the same way', () => {
    expect([...placeOpened(['ip', ...secrets], drawn, groups)!]).toEqual([...placeOpened(['ip', ...secrets], drawn, groups)!]);
  });
});

describe('fitViewport', () => {
  it('shows every position inside the box with the margin to spare, centred', () => {
    const points = [
      { x: -100, y: 20 },
      { x: 300, y: -80 },
      { x: 50, y: 140 },
    ];
    const { zoom, pan } = fitViewport(points, 800, 400, 30);
    const screen = points.map((p) => ({ x: p.x * zoom + pan.x, y: p.y * zoom + pan.y }));
    for (const s of screen) {
      expect(s.x).toBeGreaterThanOrEqual(30 * zoom - 1e-9);
      expect(s.x).toBeLessThanOrEqual(800 - 30 * zoom + 1e-9);
      expect(s.y).toBeGreaterThanOrEqual(30 * zoom - 1e-9);
      expect(s.y).toBeLessThanOrEqual(400 - 30 * zoom + 1e-9);
    }
    // The tighter side (height: 220 + 60 margin in 400 px) fills the box.
    expect(zoom).toBeCloseTo(400 / 280);
    expect((Math.min(...screen.map((s) => s.y)) + Math.max(...screen.map((s) => s.y))) / 2).toBeCloseTo(200);
  });

  it('does not blow a single node up to fill the box', () => {
    expect(fitViewport([{ x: 5, y: 5 }], 800, 400).zoom).toBe(2);
  });
});
