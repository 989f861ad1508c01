// Detection quality on the simulator: simulate → ingest → train → hunt → eval for every seed,
// preset and hunt configuration, printing one JSON object on stdout (progress on stderr).
// Stages a case already holds are reused (WORK keeps them), so re-running after a hunt change
// costs only the hunts. docs/quality.md holds the figures and how to read them.
//
//   SEEDS=q-tune,q-check-1,q-check-2 DAYS=3 SCALE=0.2 PRESETS=seed,actor node --import tsx bench/eval.ts
//
// Env: SEEDS (comma list), DAYS (3), SCALE (0.2), PRESETS (seed,actor), EPOCHS (default: the
// trainer's), EPOCHS_<PRESET> (e.g. EPOCHS_ACTOR=10), CONFIGS (comma list of names below; all),
// WORK (default $TMPDIR/gumshoe-bench-eval), FRESH=1 to rebuild cases.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCaseHuntInput } from '../src/engine/hunt/case-hunt.ts';
import { runHunt, type HuntOptions } from '../src/engine/hunt/hunt.ts';
import { ingest } from '../src/engine/jobs/ingest.ts';
import { trainInWorker } from '../src/engine/jobs/train.ts';
import { loadBuiltinRules, runRules } from '../src/engine/rules/index.ts';
import type { PresetName } from '../src/engine/sessions/presets.ts';
import { evaluate } from '../src/engine/simulate/evaluate.ts';
import { readTruth } from '../src/engine/simulate/findings-file.ts';
import { simulate } from '../src/engine/simulate/index.ts';
import { openCase } from '../src/engine/store/db.ts';
import { iterateEvents } from '../src/engine/store/events-read.ts';
import { latestModel } from '../src/engine/store/model.ts';

/** Hunt configurations compared; 'talk-*' is the CAMLIS setup (embedding alone, contamination 0.001–0.006). */
const CONFIGS: Record<string, HuntOptions> = {
  default: {},
  'no-familiarity': { familiarity: false },
  'rules-only': { signals: 'rules' },
  'anomalies-only': { signals: 'anomalies' },
  'talk-0.001': { mode: 'embedding', contamination: 0.001 },
  'talk-0.006': { mode: 'embedding', contamination: 0.006 },
  'talk-0.006-anomalies-only': { mode: 'embedding', contamination: 0.006, signals: 'anomalies' },
};

const env = (k: string, d: string): string => process.env[k] ?? d;
const seeds = env('SEEDS', 'q-tune,q-check-1,q-check-2').split(',').filter(Boolean);
const days = Number(env('DAYS', '3'));
const scale = Number(env('SCALE', '0.2'));
const presets = env('PRESETS', 'seed,actor').split(',').filter(Boolean) as PresetName[];
const configs = (process.env.CONFIGS ? process.env.CONFIGS.split(',') : Object.keys(CONFIGS)).filter((c) => c in CONFIGS);
const work = env('WORK', join(tmpdir(), 'gumshoe-bench-eval'));
const log = (s: string): void => void process.stderr.write(`[bench:eval] ${s}\n`);
const secs = (t0: number): number => Math.round((performance.now() - t0) / 100) / 10;

interface Row {
  seed: string;
  preset: string;
  config: string;
  recall10: number | null;
  recall20: number | null;
  precision10: number | null;
  precision20: number | null;
  benignFlagged: number;
  benignRank: number | null;
  /** Kinds of the reasons on the best-ranked finding matching the benign scenario. */
  benignReasons: string[];
  ranks: Record<string, number | null>;
  findings: number;
  seconds: number;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const timings: Record<string, Record<string, number>> = {};
  mkdirSync(work, { recursive: true });
  for (const seed of seeds) {
    const simDir = join(work, `sim-${seed}-${days}d-${scale}`);
    const caseDir = join(work, `case-${seed}-${days}d-${scale}`);
    const t: Record<string, number> = {};
    timings[seed] = t;
    if (process.env.FRESH === '1') for (const d of [simDir, caseDir]) rmSync(d, { recursive: true, force: true });
    let t0 = performance.now();
    if (!existsSync(join(simDir, 'ground_truth.json'))) {
      log(`${seed}: simulate ${days} d at scale ${scale}`);
      await simulate({ out: simDir, days, seed, scale, bundle: false });
    }
    t.simulate = secs(t0);
    const truth = readTruth(join(simDir, 'ground_truth.json'));
    const db = openCase(caseDir, { create: true });
    try {
      t0 = performance.now();
      // Ingest skips evidence the case already holds: a re-run only re-hashes.
      log(`${seed}: ingest`);
      await ingest(db, [join(simDir, 'raw')]);
      t.ingest = secs(t0);
      t0 = performance.now();
      const ruleHits = runRules(loadBuiltinRules(), iterateEvents(db));
      t.rules = secs(t0);
      for (const preset of presets) {
        t0 = performance.now();
        if (!latestModel(db, preset)) {
          const epochs = process.env[`EPOCHS_${preset.toUpperCase().replace('-', '_')}`] ?? process.env.EPOCHS;
          log(`${seed}: train ${preset}${epochs ? ` (${epochs} epochs)` : ''}`);
          await trainInWorker(caseDir, { preset, epochs: epochs ? Number(epochs) : undefined, seed: 1, backend: 'wasm' });
        }
        t[`train-${preset}`] = secs(t0);
        const { input } = await loadCaseHuntInput(db, { preset }, ruleHits);
        for (const config of configs) {
          t0 = performance.now();
          const result = await runHunt(input, CONFIGS[config]);
          const report = evaluate(result.findings, truth);
          const benign = report.scenarios.filter((s) => s.label === 'benign');
          const best = benign.map((s) => s.rank).filter((r): r is number => r !== null).sort((a, b) => a - b)[0] ?? null;
          const ranked = [...result.findings].sort((a, b) => b.score - a.score);
          const row: Row = {
            seed, preset, config,
            recall10: report.recallAt['10'], recall20: report.recallAt['20'],
            precision10: report.precisionAt['10'], precision20: report.precisionAt['20'],
            benignFlagged: report.benignFlagged,
            benignRank: best,
            benignReasons: best === null ? [] : [...new Set(ranked[best - 1].reasons.map((r) => r.kind))],
            ranks: Object.fromEntries(report.scenarios.map((s) => [s.id, s.rank])),
            findings: report.findings,
            seconds: secs(t0),
          };
          rows.push(row);
          log(`${seed} ${preset} ${config}: R@10 ${row.recall10} R@20 ${row.recall20} P@10 ${row.precision10} P@20 ${row.precision20} benign rank ${best}`);
        }
      }
    } finally {
      db.close();
    }
  }
  process.stdout.write(`${JSON.stringify({ bench: 'eval', days, scale, seeds, presets, configs, timings, rows })}\n`);
}

await main();
