import type { Command } from 'commander';
import { ingest, type IngestSummary } from '../../engine/jobs/ingest.ts';
import { openCase } from '../../engine/store/db.ts';
import { progressBar } from '../progress.ts';

function printSummary(s: IngestSummary, out: NodeJS.WritableStream): void {
  const mb = s.bytes / 1e6;
  out.write(`events      ${s.events} new (${s.duplicates} duplicate records merged${s.replayed ? `, ${s.replayed} already stored` : ''})\n`);
  out.write(`evidence    ${s.evidenceItems} item(s) read${s.skipped.length ? `, ${s.skipped.length} skipped as already ingested` : ''}\n`);
  out.write(`errors      ${s.errors.total}${Object.keys(s.errors.byCode).length ? ` (${Object.entries(s.errors.byCode).map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''}\n`);
  out.write(`read        ${mb.toFixed(1)} MB in ${s.seconds.toFixed(1)} s (${(mb / Math.max(s.seconds, 1e-9)).toFixed(1)} MB/s)\n`);
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('read evidence (files, directories, tar/zip/gz archives) into a case; safe to re-run after an interruption')
    .argument('<paths...>', 'evidence files or directories')
    .requiredOption('--case <dir>', 'case directory (created if missing)')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (paths: string[], opts: { case: string; json?: boolean }) => {
      const db = openCase(opts.case, { create: true });
      const bar = progressBar();
      try {
        const summary = await ingest(db, paths, { onProgress: bar.onProgress });
        bar.stop();
        if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else printSummary(summary, process.stdout);
      } finally {
        bar.stop();
        db.close();
      }
    });
}
