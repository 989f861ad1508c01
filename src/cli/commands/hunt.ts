import type { Command } from 'commander';
import { runStage } from '../../engine/case/stages.ts';
import { DEFAULT_CONTAMINATION, DEFAULT_MODE, FEATURE_MODES, validateContamination, type FeatureMode } from '../../engine/hunt/score.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
import { progressBar } from '../progress.ts';
import { jsonSafe } from '../sanitize.ts';
import { listIncidents } from '../../engine/store/incidents.ts';
import { printIncidents } from './incidents.ts';

export function register(program: Command): void {
  program
    .command('hunt')
    .description('run the rules and score every actor session against its own past, its peers and the case; join the findings into incidents, store them and print the top incidents')
    .requiredOption('--case <dir>', 'case directory')
    .option('--contamination <x>', `share of sessions to flag (talk: 0.001–0.006)`, String(DEFAULT_CONTAMINATION))
    .option('--mode <mode>', `anomaly features: ${FEATURE_MODES.join(', ')} (context is used when no model is trained)`, DEFAULT_MODE)
    .option('--preset <name>', 'session preset to score (default: the first stored)')
    .option('--occlusion', 'explain anomalies by dropping nodes and re-scoring (needs a trained model)')
    .option('--top <n>', 'incidents to print', '10')
    .option('--json', 'print the run’s metrics, top incidents and their findings as JSON on stdout')
    .action(async (o: { case: string; contamination: string; mode: string; preset?: string; occlusion?: boolean; top: string; json?: boolean }) => {
      let contamination: number;
      try {
        contamination = validateContamination(Number(o.contamination));
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      if (!FEATURE_MODES.includes(o.mode as FeatureMode)) throw new UserError(`unknown --mode ${o.mode} (one of: ${FEATURE_MODES.join(', ')})`);
      const db = openExistingCase(o.case);
      const bar = progressBar();
      try {
        // The stage loads the model and its tfjs runtime (~0.8 s) only when it runs, which --help need not pay.
        const r = await runStage({ dir: o.case, db }, 'hunt', { contamination, mode: o.mode as FeatureMode, preset: o.preset, occlusion: o.occlusion }, { onProgress: bar.onProgress });
        bar.stop();
        const top = listIncidents(db).slice(0, Number(o.top));
        if (o.json) {
          const ids = new Set(top.flatMap((i) => i.findings));
          const findings = r.findings.filter((f) => ids.has(f.id));
          process.stdout.write(`${jsonSafe({ runId: r.runId, preset: r.preset, metrics: r.metrics, incidents: top.map(({ startUs: _s, endUs: _e, ...rest }) => rest), findings })}\n`);
          return;
        }
        const m = r.metrics;
        const unit = m.unit === 'actor' ? `actor sessions scored against their own past, peers and the case${m.modelTerms === 'true' ? ' (with the GCN embeddings)' : ' (no trained model: baseline only)'}` : `${r.preset ?? 'no'} sessions scored on ${m.mode}`;
        process.stderr.write(
          `hunt: ${m.sessions} ${unit}, ${m.anomalies} unusual; ${m.ruleHits} rule hits; ${m.findings} findings (${m.correlatedFindings} correlated, ${m.ruleFindings} rule, ${m.anomalyFindings} anomaly) in ${m.incidents} incidents\n`,
        );
        printIncidents(top, process.stdout, 5);
      } finally {
        bar.stop();
        db.close();
      }
    });
}
