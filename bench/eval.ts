// Detection quality on the simulator: simulate → ingest → train → hunt → eval for every seed,
// preset and hunt configuration, printing one JSON object on stdout (progress on stderr).
// Incidents are what is ranked (the hunt's output); `technique-blind` hunts once per scenario with
// every rule that names one of the scenario's techniques switched off, and reports that
// scenario's rank alone: what the model-based side finds when no rule names the attack.
// Stages a case already holds are reused (WORK keeps them), so re-running after a hunt change
// costs only the hunts. docs/quality.md holds the figures and how to read them.
//
//   SEEDS=21,31,47 DAYS=3 SCALE=0.2 PRESETS=actor CONFIGS=default,anomalies-only node --import tsx bench/eval.ts
//
// Env: SEEDS (comma list), DAYS (3), SCALE (0.2), PRESETS (seed,actor), EPOCHS (default: the
// trainer's), EPOCHS_<PRESET> (e.g. EPOCHS_ACTOR=10), OBJECTIVE (verbs or actor, the GCN's training
// objective, model/objective.ts; default: the preset's; a case whose latest model of the preset
// was trained on another objective is retrained), CONFIGS (comma list of names below; all),
// WORK (default $TMPDIR/gumshoe-bench-eval), FRESH=1 to rebuild cases, CROSS_FIT (1 or 0: the actor
// model's class probabilities cross-fitted or not, model/cross-fit.ts; a case whose latest model
// differs is retrained; unset: whatever the case holds, or the trainer's default when it trains),
// CROSS_FIT_EPOCHS (the fold models' epochs cap; default EPOCHS; a case whose differs is retrained).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCaseHuntInput } from '../src/engine/hunt/case-hunt.ts';
import { runHunt, type HuntOptions } from '../src/engine/hunt/hunt.ts';
import { ingest } from '../src/engine/jobs/ingest.ts';
import { defaultObjective, OBJECTIVES, type ObjectiveName } from '../src/engine/model/objective.ts';
import { trainInWorker } from '../src/engine/jobs/train.ts';
import { loadBuiltinRules, runRules } from '../src/engine/rules/index.ts';
import type { PresetName } from '../src/engine/sessions/presets.ts';
import { evaluate } from '../src/engine/simulate/evaluate.ts';
import { readTruth } from '../src/engine/simulate/findings-file.ts';
import { simulate } from '../src/engine/simulate/index.ts';
import { openCase } from '../src/engine/store/db.ts';
import { iterateEvents } from '../src/engine/store/events-read.ts';
import { latestModel } from '../src/engine/store/model.ts';
import { storeMissingClassProbabilities } from '../src/engine/hunt/model-link.ts';

/** Hunt configurations compared; 'talk-*' is the CAMLIS setup (embedding alone, contamination 0.001–0.006). */
const CONFIGS: Record<string, HuntOptions> = {
  default: {},
  'no-model': { model: false },
  'no-familiarity': { familiarity: false },
  'rules-only': { signals: 'rules' },
  // Rules-blind: every rule off. On actor sessions, 'anomalies-only-no-model' is the baseline alone.
  'anomalies-only': { signals: 'anomalies' },
  'anomalies-only-no-model': { signals: 'anomalies', model: false },
  // The actor model's own verdict (not-its-actor) forced on and off, whatever the default.
  'not-its-actor': { notItsActor: true },
  'not-its-actor-off': { notItsActor: false },
  'anomalies-only-not-its-actor': { signals: 'anomalies', notItsActor: true },
  'anomalies-only-not-its-actor-off': { signals: 'anomalies', notItsActor: false },
  // Per scenario, the rules naming its techniques off (the hunt runs once per scenario).
  'technique-blind': {},
  'talk-0.001': { mode: 'embedding', contamination: 0.001 },
  'talk-0.006': { mode: 'embedding', contamination: 0.006 },
  'talk-0.006-anomalies-only': { mode: 'embedding', contamination: 0.006, signals: 'anomalies' },
};

const env = (k: string, d: string): string => process.env[k] ?? d;
const seeds = env('SEEDS', '21,31,47').split(',').filter(Boolean);
const days = Number(env('DAYS', '3'));
const scale = Number(env('SCALE', '0.2'));
const presets = env('PRESETS', 'actor').split(',').filter(Boolean) as PresetName[];
const configs = (process.env.CONFIGS ? process.env.CONFIGS.split(',') : Object.keys(CONFIGS)).filter((c) => c in CONFIGS);
const work = env('WORK', join(tmpdir(), 'gumshoe-bench-eval'));
const objectiveAsked = process.env.OBJECTIVE as ObjectiveName | undefined;
const crossFitAsked = process.env.CROSS_FIT === undefined ? undefined : process.env.CROSS_FIT === '1';
const crossFitEpochs = process.env.CROSS_FIT_EPOCHS ? Number(process.env.CROSS_FIT_EPOCHS) : undefined;
if (objectiveAsked && !OBJECTIVES.includes(objectiveAsked)) throw new Error(`OBJECTIVE must be one of ${OBJECTIVES.join(', ')}`);
const log = (s: string): void => void process.stderr.write(`[bench:eval] ${s}\n`);
const secs = (t0: number): number => Math.round((performance.now() - t0) / 100) / 10;

interface Row {
  seed: string;
  preset: string;
  /** The GCN's training objective behind the embeddings. */
  objective: string;
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
  /** Malicious scenarios with an incident ranked ≤ 10 / ≤ 20, and how many there are. */
  maliciousTop10: number;
  maliciousTop20: number;
  malicious: number;
  /** Incidents listed (the ranked list's length) and findings inside them. */
  incidents: number;
  findings: number;
  seconds: number;
}

/** A rule hit names the technique (or a sub-technique of it, or its parent). */
const sameTechnique = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

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
        const objective = objectiveAsked ?? defaultObjective(preset);
        const latest = latestModel(db, preset);
        const trainedOn = (latest?.config as { objective?: string } | undefined)?.objective ?? 'verbs';
        const cfg = latest?.config as { crossFit?: boolean; crossFitEpochs?: number } | undefined;
        const crossFitted = cfg?.crossFit === true;
        const otherFoldEpochs = crossFitEpochs !== undefined && crossFitted && cfg?.crossFitEpochs !== crossFitEpochs;
        if (!latest || trainedOn !== objective || (crossFitAsked !== undefined && crossFitted !== crossFitAsked) || otherFoldEpochs) {
          const epochs = process.env[`EPOCHS_${preset.toUpperCase().replace('-', '_')}`] ?? process.env.EPOCHS;
          log(`${seed}: train ${preset} on ${objective}${epochs ? ` (${epochs} epochs)` : ''}`);
          // Sessions are a pure function of the events and the preset: a retrain for another objective reuses them.
          const r = await trainInWorker(caseDir, { preset, objective, epochs: epochs ? Number(epochs) : undefined, seed: 1, backend: 'wasm', skipSessions: latest !== null, crossFit: crossFitAsked, crossFitEpochs });
          log(`${seed}: trained ${r.sessions} sessions, ${r.epochsRun} epochs, validation micro-F1 ${r.validation?.micro.toFixed(3)} macro-F1 ${r.validation?.macro.toFixed(3)}, ${r.trainSeconds?.toFixed(1)} s in trainGcn`);
          if (r.trainSeconds !== null) t[`trainGcn-${preset}`] = Math.round(r.trainSeconds * 10) / 10;
          if (r.crossFit) {
            t[`crossFit-${preset}`] = Math.round(r.crossFit.seconds * 10) / 10;
            for (const f of r.crossFit.folds) log(`${seed}: cross-fit fold ${f.fold}: trained on ${f.trainedOn}, judged ${f.judged}, ${f.epochsRun} epochs (best ${f.bestEpoch}), validation micro-F1 ${f.validationMicro.toFixed(3)}, ${f.seconds.toFixed(1)} s`);
          }
        }
        // A case embedded before class probabilities were kept (migration 036) gets them from its stored embeddings and model, not a retrain.
        if (await storeMissingClassProbabilities(db, caseDir, preset)) log(`${seed}: stored the ${preset} model's class probabilities`);
        t[`train-${preset}`] = secs(t0);
        const { input } = await loadCaseHuntInput(db, { preset }, ruleHits);
        for (const config of configs) {
          t0 = performance.now();
          if (config === 'technique-blind') {
            const ranks: Record<string, number | null> = {};
            for (const sc of truth.scenarios.filter((x) => x.label === 'malicious')) {
              const hits = ruleHits.filter((h) => !h.techniques.some((t) => sc.techniques.some((u) => sameTechnique(t, u))));
              const r = await runHunt({ ...input, ruleHits: hits }, {});
              ranks[sc.id] = evaluate(r.incidents, truth).scenarios.find((x) => x.id === sc.id)?.rank ?? null;
              log(`${seed} ${preset} technique-blind ${sc.id}: rank ${ranks[sc.id]} (${ruleHits.length - hits.length} hits off)`);
            }
            const vals = Object.values(ranks);
            rows.push({
              seed, preset, objective, config, recall10: null, recall20: null, precision10: null, precision20: null, benignFlagged: 0, benignRank: null, benignReasons: [], ranks,
              maliciousTop10: vals.filter((r) => r !== null && r <= 10).length, maliciousTop20: vals.filter((r) => r !== null && r <= 20).length, malicious: vals.length,
              incidents: 0, findings: 0, seconds: secs(t0),
            });
            continue;
          }
          const result = await runHunt(input, CONFIGS[config]);
          const report = evaluate(result.incidents, truth);
          const benign = report.scenarios.filter((s) => s.label === 'benign');
          const best = benign.map((s) => s.rank).filter((r): r is number => r !== null).sort((a, b) => a - b)[0] ?? null;
          const ranked = [...result.incidents].sort((a, b) => b.score - a.score);
          const mal = report.scenarios.filter((x) => x.label === 'malicious');
          const row: Row = {
            seed, preset, objective, config,
            recall10: report.recallAt['10'], recall20: report.recallAt['20'],
            precision10: report.precisionAt['10'], precision20: report.precisionAt['20'],
            benignFlagged: report.benignFlagged,
            benignRank: best,
            benignReasons: best === null ? [] : [...new Set(ranked[best - 1].reasons.map((r) => r.kind))],
            ranks: Object.fromEntries(report.scenarios.map((s) => [s.id, s.rank])),
            maliciousTop10: mal.filter((x) => x.rank !== null && x.rank <= 10).length,
            maliciousTop20: mal.filter((x) => x.rank !== null && x.rank <= 20).length,
            malicious: mal.length,
            incidents: result.incidents.length,
            findings: result.findings.length,
            seconds: secs(t0),
          };
          rows.push(row);
          log(`${seed} ${preset}/${objective} ${config}: malicious in top 10 ${row.maliciousTop10}/${row.malicious}, top 20 ${row.maliciousTop20}; P@10 ${row.precision10} P@20 ${row.precision20}; benign best rank ${best}; ${row.incidents} incidents`);
        }
      }
    } finally {
      db.close();
    }
  }
  process.stdout.write(`${JSON.stringify({ bench: 'eval', days, scale, seeds, presets, configs, timings, rows })}\n`);
}

await main();
