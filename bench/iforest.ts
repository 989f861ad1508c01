// Isolation Forest benchmark: fit and scoring on 100K × 64 GCN-like embeddings (the same shape
// the sklearn anchor uses), with the anchor's figures and our ratio when python3-sklearn is here.
// Prints one JSON object on stdout.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IsolationForest, type Matrix } from '../src/engine/hunt/iforest.ts';
import { Rng } from '../src/engine/hunt/iforest/rng.ts';

const ROWS = Number(process.env.IFOREST_ROWS ?? 100_000);
const DIMS = 64;
const REPS = 3;

function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

// Mirrors the anchor's data: 8 clusters of non-negative (post-ReLU) vectors plus 0.5% outliers.
function embeddings(rows: number, dims: number): { x: Matrix; truth: Uint8Array } {
  const rng = new Rng(7);
  const centers = Array.from({ length: 8 }, () => Array.from({ length: dims }, () => rng.next() * 2));
  const data = new Float32Array(rows * dims);
  const truth = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const out = rng.next() < 0.005;
    truth[r] = out ? 1 : 0;
    const c = centers[rng.int(8)];
    for (let d = 0; d < dims; d++) {
      const v = out ? rng.next() * 2 + 0.6 * gaussian(rng) : c[d] + 0.15 * gaussian(rng);
      data[r * dims + d] = Math.max(0, v);
    }
  }
  return { x: { data, rows, dims }, truth };
}

function auc(scores: Float64Array, truth: Uint8Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let pos = 0;
  order.forEach((i, rank) => {
    if (truth[i]) {
      rankSum += rank + 1;
      pos++;
    }
  });
  const neg = scores.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function sklearnAnchor(): Record<string, unknown> | null {
  const script = fileURLToPath(new URL('../../shared/anchors/ref_gcn.py', import.meta.url));
  if (!existsSync('/usr/bin/python3') || !existsSync(script)) return null;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'gumshoe-bench-')), 'ref-iforest.json');
  execFileSync('/usr/bin/python3', [script, '--phase', 'iforest', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
}

const { x, truth } = embeddings(ROWS, DIMS);
const fits: number[] = [];
const treeFits: number[] = [];
const scoreRates: number[] = [];
let lastAuc = 0;
let flagged = 0;
for (let rep = 0; rep < REPS; rep++) {
  let t = performance.now();
  IsolationForest.fit(x, { trees: 100, sampleSize: 256, contamination: 0, seed: rep + 1 });
  treeFits.push((performance.now() - t) / 1000);
  t = performance.now();
  const forest = IsolationForest.fit(x, { trees: 100, sampleSize: 256, contamination: 0.005, seed: rep + 1 });
  fits.push((performance.now() - t) / 1000);
  t = performance.now();
  const scores = forest.score(x);
  scoreRates.push(ROWS / ((performance.now() - t) / 1000));
  lastAuc = auc(scores, truth);
  flagged = forest.flag(scores).reduce((a, b) => a + b, 0);
}

const result: Record<string, unknown> = {
  bench: 'iforest',
  rows: ROWS,
  dims: DIMS,
  trees: 100,
  sampleSize: 256,
  // Fit includes scoring the training rows once to set the contamination threshold.
  fitS: median(fits),
  // Trees alone, comparable with the anchor's fit_trees_only_s_median.
  fitTreesOnlyS: median(treeFits),
  scoreRowsPerS: Math.round(median(scoreRates)),
  auc: Number(lastAuc.toFixed(4)),
  flagged,
  targets: { fitS: 0.5, scoreRowsPerS: 220_000 },
  node: process.version,
};
const ref = process.env.IFOREST_NO_ANCHOR ? null : sklearnAnchor();
if (ref) {
  result.sklearn = ref;
  const flat = JSON.stringify(ref);
  const fitM = /"fit_s(?:_median)?"\s*:\s*([\d.]+)/.exec(flat);
  const rateM = /"score_rows_per_s(?:_median)?"\s*:\s*([\d.]+)/.exec(flat);
  if (fitM) result.fitSpeedup = Number((Number(fitM[1]) / median(fits)).toFixed(2));
  if (rateM) result.scoreSpeedup = Number((median(scoreRates) / Number(rateM[1])).toFixed(2));
}
process.stdout.write(`${JSON.stringify(result)}\n`);
