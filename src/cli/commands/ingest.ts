import { existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { runStage, type StageResults } from '../../engine/case/stages.ts';
import { openCase } from '../../engine/store/db.ts';
import { progressBar } from '../progress.ts';
import { jsonSafe } from '../sanitize.ts';

type IngestSummary = StageResults['ingest'];

/**
 * The rate is of decoded bytes (what was framed and parsed) and of records: the stored bytes of a
 * gzipped bundle are a tenth of the work, and reporting them made a fast run look slow.
 */
export function printSummary(s: IngestSummary, out: NodeJS.WritableStream): void {
  const secs = Math.max(s.seconds, 1e-9);
  const decoded = s.decodedBytes / 1e6;
  const records = s.events + s.duplicates + s.replayed;
  out.write(`events      ${s.events} new (${s.duplicates} duplicate records merged${s.replayed ? `, ${s.replayed} already stored` : ''})\n`);
  out.write(`evidence    ${s.evidenceItems} item(s) read${s.skipped.length ? `, ${s.skipped.length} skipped as already ingested` : ''}\n`);
  out.write(`errors      ${s.errors.total}${Object.keys(s.errors.byCode).length ? ` (${Object.entries(s.errors.byCode).map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''}\n`);
  out.write(
    `read        ${decoded.toFixed(1)} MB decoded (${(s.bytes / 1e6).toFixed(1)} MB as stored) in ${s.seconds.toFixed(1)} s: ${(decoded / secs).toFixed(1)} MB/s, ${Math.round(records / secs)} events/s\n`,
  );
}

/** What the analyst must not miss: evidence that held no audit event at all. */
export function warnings(s: IngestSummary): string[] {
  const w: string[] = [];
  const empty = (s.errors.byCode['no-events'] ?? 0) + (s.errors.byCode.empty ?? 0);
  if (s.evidenceItems > 0 && s.events + s.duplicates + s.replayed === 0) w.push('no Kubernetes audit event was read from these paths');
  if (empty > 0) w.push(`${empty} file(s) held no Kubernetes audit event (codes no-events, empty; listed by \`gumshoe info\`)`);
  return w;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('read evidence (files, directories, tar/zip/gz archives) into a case; safe to re-run after an interruption')
    .argument('<paths...>', 'evidence files or directories')
    .requiredOption('--case <dir>', 'case directory (created if missing)')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (paths: string[], opts: { case: string; json?: boolean }) => {
      const created = !existsSync(opts.case);
      const db = openCase(opts.case, { create: true });
      const bar = progressBar();
      let failed = true;
      try {
        // The case is opened here, not by the stage: on failure this command inspects it for debris.
        const summary = await runStage({ dir: opts.case, db }, 'ingest', { paths }, { onProgress: bar.onProgress });
        failed = false;
        bar.stop();
        // Skipped paths are evidence names: no raw bidi or C1 characters even in JSON.
        if (opts.json) process.stdout.write(`${jsonSafe(summary)}\n`);
        else printSummary(summary, process.stdout);
        for (const w of warnings(summary)) process.stderr.write(`gumshoe: warning: ${w}\n`);
      } finally {
        bar.stop();
        // A case this command made and that holds no evidence is only debris of the failure (a
        // mistyped path, say): removed, so the next try starts clean. A case with evidence in it is
        // kept, whatever happened: running the command again completes it.
        const debris = failed && created && db.prepare('SELECT count(*) FROM evidence').pluck().get() === 0;
        db.close();
        if (debris) rmSync(opts.case, { recursive: true, force: true });
      }
    });
}
