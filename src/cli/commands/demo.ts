import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runStage, type CaseTarget } from '../../engine/case/stages.ts';
import { DEFAULT_PRESET, PRESETS, type PresetName } from '../../engine/sessions/presets.ts';
import { ensureDemoBundle } from '../../engine/simulate/demo.ts';
import { evaluate } from '../../engine/simulate/evaluate.ts';
import { readTruth } from '../../engine/simulate/findings-file.ts';
import { openCase } from '../../engine/store/db.ts';
import { listIncidents } from '../../engine/store/incidents.ts';
import { latestModel } from '../../engine/store/model.ts';
import { UserError } from '../../engine/util/errors.ts';
import { progressBar } from '../progress.ts';
import { printIncidents } from './incidents.ts';

interface Opts {
  case: string;
  preset: string;
  epochs?: string;
  retrain?: boolean;
  top: string;
}

const say = (s: string): boolean => process.stderr.write(`\n== ${s}\n`);

/** Runs one stage with its own progress bar, so each stage's rate and ETA read cleanly. */
async function stage<T>(run: (onProgress: ReturnType<typeof progressBar>['onProgress']) => Promise<T>): Promise<T> {
  const bar = progressBar();
  try {
    return await run(bar.onProgress);
  } finally {
    bar.stop();
  }
}

/**
 * The main job on the bundled demo data: the simulator's pinned demo bundle (generated on first
 * use) → ingest → train → hunt → top findings with reasons → report.pdf and case.json, and the
 * score against the demo's ground truth so a new user sees what the pipeline catches.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline on the bundled demo data: ingest, train, hunt, report')
    .option('--case <dir>', 'case directory to create or reuse', 'demo-case')
    .option('--preset <name>', `session preset: ${PRESETS.join(', ')}`, DEFAULT_PRESET)
    .option('--epochs <n>', 'most training epochs')
    .option('--retrain', 'train again even when the case already holds a model')
    .option('--top <n>', 'findings to print', '10')
    .action(async (o: Opts) => {
      if (!PRESETS.includes(o.preset as PresetName)) throw new UserError(`--preset: '${o.preset}' is not one of ${PRESETS.join(', ')}`);
      const caseDir = resolve(o.case);
      const started = performance.now();
      say('demo bundle');
      const demo = await stage((p) => ensureDemoBundle(p));
      process.stderr.write(`bundle ${demo.bundle}\nground truth ${demo.truth} (kept outside the case, as an examiner would)\n`);

      say(`ingest → ${caseDir}`);
      const db = openCase(caseDir, { create: true });
      // One connection for every stage; training alone opens its own, in its worker.
      const c: CaseTarget = { dir: caseDir, db };
      try {
        const ing = await stage((p) => runStage(c, 'ingest', { paths: [demo.bundle] }, { onProgress: p }));
        process.stderr.write(
          `${ing.events} new events, ${ing.duplicates} duplicates merged, ${ing.errors.total} record errors, ${ing.evidenceItems} evidence items${ing.skipped.length ? `, ${ing.skipped.length} already ingested` : ''}\n`,
        );

        say(`train (${o.preset})`);
        if (!o.retrain && latestModel(db, o.preset)) {
          process.stderr.write('the case already holds a model for this preset (pass --retrain to train again)\n');
        } else {
          const epochs = o.epochs === undefined ? undefined : Number(o.epochs);
          const tr = await stage((p) => runStage(c, 'train', { inWorker: true, preset: o.preset as PresetName, epochs, seed: 1 }, { onProgress: p }));
          const v = tr.validation;
          process.stderr.write(
            `tfjs backend ${tr.backend}, steps on ${tr.engine ?? 'imported model'}; ${tr.sessions} sessions; ${v ? `validation micro-F1 ${v.micro.toFixed(3)}, macro-F1 ${v.macro.toFixed(3)}; ` : ''}${Math.round(tr.trainGraphsPerSecond ?? 0)} graphs/s training, ${Math.round(tr.embedGraphsPerSecond)} embedding\n`,
          );
        }

        say('hunt');
        const hunt = await stage((p) => runStage(c, 'hunt', { preset: o.preset }, { onProgress: p }));
        const m = hunt.metrics;
        process.stderr.write(`${m.sessions} ${m.unit === 'actor' ? 'actor sessions scored against their own past, peers and the case' : `sessions scored on ${m.mode}`}, ${m.anomalies} unusual; ${m.ruleHits} rule hits; ${m.findings} findings in ${m.incidents} incidents\n\n`);
        printIncidents(listIncidents(db).slice(0, Number(o.top)), process.stdout, 6);

        say('report');
        const pdf = join(caseDir, 'report.pdf');
        const json = join(caseDir, 'case.json');
        const exp = await runStage(c, 'export', { pdfPath: pdf, jsonPath: json, examiner: null, top: 10 });
        for (const f of exp.files) process.stderr.write(`wrote ${f.path} (${f.bytes} bytes, sha256 ${f.sha256})\n`);

        say('score against the demo ground truth');
        const report = evaluate(listIncidents(db), readTruth(demo.truth));
        const pct = (x: number | null): string => (x === null ? '-' : `${Math.round(100 * x)}%`);
        process.stderr.write(
          `incidents: recall of malicious scenarios @10 ${pct(report.recallAt['10'])} @20 ${pct(report.recallAt['20'])}; precision @10 ${pct(report.precisionAt['10'])} @20 ${pct(report.precisionAt['20'])}\n`,
        );
        for (const s of report.scenarios) process.stderr.write(`  ${s.label.padEnd(9)} ${s.id.padEnd(24)} ${s.found ? `rank ${s.rank}` : 'missed'}\n`);
        process.stderr.write(`\ndone in ${((performance.now() - started) / 1000).toFixed(0)} s. Next: npx gumshoe incidents --case ${o.case}, or npx gumshoe serve --case ${o.case}\n`);
        if (!existsSync(pdf)) throw new UserError('the report was not written');
      } finally {
        db.close();
      }
    });
}
