import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, type BackendName } from '../../engine/model/backend-names.ts';
import { OBJECTIVES, type ObjectiveName } from '../../engine/model/objective.ts';
import { runStage, TrainJobCancelled, type StageResults } from '../../engine/case/stages.ts';
import { CASE_DB } from '../../engine/store/db.ts';
import { DEFAULT_PRESET, PRESETS, type PresetName } from '../../engine/sessions/presets.ts';
import { UserError } from '../../engine/util/errors.ts';
import { progressBar } from '../progress.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';

interface Opts {
  case: string;
  preset: string;
  window: string;
  epochs?: string;
  backend?: string;
  model?: string;
  hidden?: string;
  seed?: string;
  objective?: string;
  json?: boolean;
}

const positive = (flag: string, v: string | undefined, integer: boolean): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new UserError(`${flag}: '${v}' is not a positive ${integer ? 'whole ' : ''}number`);
  return n;
};

function printText(r: StageResults['train']): void {
  const out = process.stdout;
  out.write(`model ${r.modelId} (${r.imported ? 'imported' : 'trained'}) on ${r.sessions} '${r.preset}' sessions of ${r.windowS}s, tfjs backend ${r.backend}${r.engine ? `, steps on ${r.engine}` : ''}\n`);
  out.write(`objective ${r.objective}: ${r.objective === 'actor' ? 'which identity a session is, from what it touched (validation per identity below)' : 'which verbs a session holds (validation per verb below)'}\n`);
  if (r.validation) {
    out.write(`epochs ${r.epochsRun} (best ${r.bestEpoch}), ${Math.round(r.trainGraphsPerSecond ?? 0)} graphs/s training\n`);
    out.write(`validation (${r.validation.graphs} sessions): micro-F1 ${r.validation.micro.toFixed(3)}, macro-F1 ${r.validation.macro.toFixed(3)}, loss ${r.validation.loss.toFixed(4)}\n`);
    for (const [verb, m] of Object.entries(r.validation.perVerb)) {
      // Verbs and identities are whatever the log said.
      out.write(`  ${termSafe(verb).padEnd(17)} F1 ${m.f1.toFixed(3)}  P ${m.precision.toFixed(3)}  R ${m.recall.toFixed(3)}  support ${m.support}\n`);
    }
  }
  out.write(`embedded ${r.sessions} sessions at ${Math.round(r.embedGraphsPerSecond)} graphs/s (embedding run ${r.embeddingRunId})\n`);
}

export function register(program: Command): void {
  program
    .command('train')
    .description('build session graphs, train the GCN on the case itself, and embed every session')
    .requiredOption('--case <dir>', 'case directory')
    .option('--preset <name>', `session preset: ${PRESETS.join(', ')} (actor: one identity's activity cut by its gaps, default; seed: the talk's cluster minute; see docs/quality.md)`, DEFAULT_PRESET)
    .option('--window <seconds>', "session window: the actor cut's gap (default 1800) or the seed preset's clock slice (default 60)")
    .option('--epochs <n>', 'most epochs (early stopping may end sooner)')
    .option('--backend <name>', `force a backend: ${BACKENDS.join(', ')} (default: the best that loads)`)
    .option('--model <dir>', 'import a model trained elsewhere (model.json + weights.bin) and only embed with it')
    .option('--hidden <n>', 'hidden units per GCN layer (a multiple of 4)')
    .option('--seed <n>', 'seed for initialization and shuffling', '1')
    .option('--objective <name>', `what the GCN learns to predict: ${OBJECTIVES.join(', ')} (default: actor on actor sessions, falling back to verbs when fewer than two identities have 3 sessions; verbs on the seed preset; docs/model.md)`)
    .option('--json', 'print the result as JSON on stdout')
    .action(async (opts: Opts) => {
      if (!existsSync(join(opts.case, CASE_DB))) throw new UserError(`no case at ${opts.case} (run \`gumshoe ingest PATH --case ${opts.case}\` first)`);
      if (!PRESETS.includes(opts.preset as PresetName)) throw new UserError(`--preset: '${opts.preset}' is not one of ${PRESETS.join(', ')}`);
      if (opts.backend !== undefined && !BACKENDS.includes(opts.backend as BackendName)) throw new UserError(`--backend: '${opts.backend}' is not one of ${BACKENDS.join(', ')}`);
      if (opts.model !== undefined && !existsSync(join(opts.model, 'model.json'))) throw new UserError(`--model: no model.json in ${opts.model}`);
      if (opts.objective !== undefined && !OBJECTIVES.includes(opts.objective as ObjectiveName)) throw new UserError(`--objective: '${opts.objective}' is not one of ${OBJECTIVES.join(', ')}`);
      const hidden = positive('--hidden', opts.hidden, true);
      if (hidden !== undefined && hidden % 4 !== 0) throw new UserError('--hidden must be a multiple of 4');
      const bar = progressBar();
      const abort = new AbortController();
      const onSigint = (): void => abort.abort();
      process.once('SIGINT', onSigint);
      try {
        const result = await runStage(
          opts.case,
          'train',
          {
            inWorker: true,
            preset: opts.preset as PresetName,
            windowS: positive('--window', opts.window, false),
            epochs: positive('--epochs', opts.epochs, true),
            backend: opts.backend as BackendName | undefined,
            modelDir: opts.model,
            hidden,
            seed: Number(opts.seed),
            objective: opts.objective as ObjectiveName | undefined,
          },
          { onProgress: bar.onProgress, signal: abort.signal },
        );
        bar.stop();
        if (opts.json) process.stdout.write(`${jsonSafe(result)}\n`);
        else printText(result);
      } catch (err) {
        if (err instanceof TrainJobCancelled) throw new UserError('training cancelled', 130);
        throw err;
      } finally {
        bar.stop();
        process.off('SIGINT', onSigint);
      }
    });
}
