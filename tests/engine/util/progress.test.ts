import { describe, expect, it } from 'vitest';
import { estimateEta, ETA_ANYWAY_SECONDS, ETA_MIN_DONE, ETA_MIN_SECONDS, ProgressMeter, type Progress } from '../../../src/engine/util/progress.ts';

describe('ETA', () => {
  it('is withheld in the first seconds, when start-up costs make the rate far too low', () => {
    // 4000 steps; the first 10 took 5 s of worker start and kernel compilation: a naive ETA says ~2000 s.
    expect(estimateEta(10, 4000, 5)).toBeNull();
    expect(estimateEta(200, 4000, ETA_MIN_SECONDS - 0.1)).toBeNull();
  });

  it('is given once enough time has passed and enough is done, or after a minute whatever the share', () => {
    expect(estimateEta(4000 * ETA_MIN_DONE, 4000, ETA_MIN_SECONDS)).toBeCloseTo((4000 - 80) / (80 / ETA_MIN_SECONDS));
    expect(estimateEta(10, 4000, 30)).toBeNull();
    expect(estimateEta(10, 4000, ETA_ANYWAY_SECONDS)).toBeCloseTo(3990 * 6);
    expect(estimateEta(10, null, 600)).toBeNull();
  });

  it('reaches the sink through the meter, on a fake clock, with throttling', () => {
    let t = 1000;
    const seen: Progress[] = [];
    const meter = new ProgressMeter('train', 'steps', (p) => seen.push(p), 200, () => t);
    meter.update(5, 1000);
    t += 100;
    meter.update(6, 1000);
    t = 1000 + 12_000;
    meter.update(300, 1000);
    expect(seen.map((p) => [p.done, p.etaS === null ? null : Math.round(p.etaS)])).toEqual([
      [5, null],
      [300, 28],
    ]);
    expect(seen[1].rate).toBeCloseTo(25);
  });
});
