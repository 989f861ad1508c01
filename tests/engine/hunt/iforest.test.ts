import { describe, expect, it } from 'vitest';
import { IsolationForest, averagePathLength, thresholdFor, toMatrix, type Matrix } from '../../../src/engine/hunt/iforest.ts';
import { Rng } from '../../../src/engine/hunt/iforest/rng.ts';

function uniform(rows: number, dims: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(rows * dims);
  for (let i = 0; i < data.length; i++) data[i] = rng.next();
  return { data, rows, dims };
}

/** A tight Gaussian-ish blob with `outliers` rows placed far away at the end. */
function blobWithOutliers(rows: number, dims: number, outliers: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dims; d++) {
      const noise = (rng.next() + rng.next() + rng.next() - 1.5) * 0.2;
      data[r * dims + d] = r >= rows - outliers ? 3 + rng.next() * 2 : noise;
    }
  }
  return { data, rows, dims };
}

describe('averagePathLength c(n)', () => {
  it('matches the definition 2H(n−1) − 2(n−1)/n with H(i) ≈ ln i + γ', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // Values from the formula worked by hand: c(256) = 2(ln 255 + 0.5772) − 510/256.
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649) - 510 / 256, 10);
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 3);
    // For large n the approximation is within 2·1/(2(n−1)) of the exact harmonic sum.
    let h = 0;
    for (let i = 1; i < 1000; i++) h += 1 / i;
    expect(averagePathLength(1000)).toBeCloseTo(2 * h - (2 * 999) / 1000, 2);
  });
});

describe('IsolationForest', () => {
  it('gives scores in (0, 1], near 0.5 on uniform data', () => {
    const x = uniform(4000, 4, 11);
    const forest = IsolationForest.fit(x, { seed: 3 });
    const s = forest.score(x);
    let mean = 0;
    for (const v of s) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(1);
      mean += v / s.length;
    }
    // Paper, fig. 2: with no distinct anomalies the whole sample sits around 0.5.
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.55);
  });

  it('ranks planted outliers at the top and gives them scores well above 0.5', () => {
    const x = blobWithOutliers(3000, 8, 10, 5);
    const forest = IsolationForest.fit(x, { seed: 9 });
    const s = forest.score(x);
    const top = Array.from(s.keys()).sort((a, b) => s[b] - s[a]).slice(0, 10);
    expect(top.every((i) => i >= 2990)).toBe(true);
    for (const i of top) expect(s[i]).toBeGreaterThan(0.65);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const x = uniform(1000, 5, 2);
    const a = IsolationForest.fit(x, { seed: 42 }).score(x);
    const b = IsolationForest.fit(x, { seed: 42 }).score(x);
    const c = IsolationForest.fit(x, { seed: 43 }).score(x);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('turns contamination into a threshold that flags the expected count', () => {
    const x = blobWithOutliers(5000, 6, 25, 8);
    const forest = IsolationForest.fit(x, { seed: 1, contamination: 0.005 });
    const flags = forest.flag(forest.score(x));
    expect(flags.reduce((a, b) => a + b, 0)).toBe(25);
    for (let i = 4975; i < 5000; i++) expect(flags[i]).toBe(1);
    expect(thresholdFor(Float64Array.from([0.1, 0.9, 0.5, 0.7]), 0.5)).toBe(0.7);
    expect(thresholdFor(Float64Array.from([0.1, 0.9]), 0)).toBe(Infinity);
  });

  it('scores one row the same as in a batch, whatever the batch remainder', () => {
    const x = uniform(7, 3, 4); // 7 rows: one lockstep group of four plus three single walks
    const forest = IsolationForest.fit(uniform(500, 3, 5), { seed: 2 });
    const batch = forest.score(x);
    for (let r = 0; r < x.rows; r++) {
      expect(forest.scoreRow(x.data.subarray(r * 3, r * 3 + 3))).toBe(batch[r]);
    }
  });

  it('credits the feature that isolates an outlier', () => {
    const rng = new Rng(3);
    const rows = Array.from({ length: 2000 }, () => [rng.next(), rng.next(), rng.next(), rng.next()]);
    const forest = IsolationForest.fit(toMatrix(rows), { seed: 4 });
    const contrib = forest.contributions([0.5, 0.5, 25, 0.5]);
    const best = contrib.indexOf(Math.max(...contrib));
    expect(best).toBe(2);
    expect(contrib.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('survives toJSON/fromJSON with identical scores', () => {
    const x = blobWithOutliers(800, 4, 4, 6);
    const forest = IsolationForest.fit(x, { seed: 5, trees: 30, sampleSize: 64 });
    const back = IsolationForest.fromJSON(JSON.parse(JSON.stringify(forest)));
    expect(Array.from(back.score(x))).toEqual(Array.from(forest.score(x)));
    expect(back.threshold).toBe(forest.threshold);
    expect(back.sampleSize).toBe(64);
    const bad = { ...forest.toJSON(), dims: 2 };
    expect(() => IsolationForest.fromJSON(bad)).toThrow(/feature outside/);
  });

  it('handles fewer rows than ψ, constant columns and rejects wrong widths', () => {
    const x = toMatrix([[1, 0], [1, 0], [1, 5], [1, 0]]);
    const forest = IsolationForest.fit(x, { seed: 1, contamination: 0.25 });
    expect(forest.sampleSize).toBe(4);
    const s = forest.score(x);
    expect(s[2]).toBeGreaterThan(s[0]);
    expect(forest.flag(s)[2]).toBe(1);
    expect(() => forest.scoreRow([1, 2, 3])).toThrow(/2 columns/);
  });
});

describe('IsolationForest.fitAndScore', () => {
  it('returns the training scores the threshold came from, equal to scoring again', () => {
    const x = blobWithOutliers(600, 3, 3, 12);
    const { forest, scores } = IsolationForest.fitAndScore(x, { seed: 7, contamination: 0.005 });
    expect(Array.from(scores)).toEqual(Array.from(forest.score(x)));
    expect(forest.threshold).toBe(thresholdFor(scores, 0.005));
    const none = IsolationForest.fitAndScore(x, { seed: 7, contamination: 0 });
    expect(none.scores).toHaveLength(0);
    expect(none.forest.flag(forest.score(x)).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
