import type { Command } from 'commander';
import { runStage } from '../../engine/case/stages.ts';
import type { VerifyResult } from '../../engine/store/verify.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { progressBar } from '../progress.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';

function line(r: VerifyResult, store: boolean): string {
  const why = [store ? 'case store' : '', r.detail ?? '', r.status === 'changed' && r.expected && r.actual ? `was ${r.expected}, now ${r.actual}` : ''].filter(Boolean).join(': ');
  // Paths are log-derived too: archive members are named by whoever built the archive.
  return `${r.status.padEnd(10)} ${termSafe(r.path)}${why ? `  (${termSafe(why)})` : ''}\n`;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description("re-hash every evidence item and the case's raw-record store against what was recorded; exits non-zero on any mismatch")
    .requiredOption('--case <dir>', 'case directory')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { case: string; json?: boolean }) => {
      const db = openExistingCase(opts.case, { readonly: true });
      const bar = progressBar();
      try {
        const { evidence: results, store } = await runStage({ dir: opts.case, db }, 'verify', {}, { onProgress: bar.onProgress });
        bar.stop();
        const bad = [...results, ...store].filter((r) => r.status !== 'ok');
        if (opts.json) {
          process.stdout.write(`${jsonSafe({ ok: bad.length === 0, results, store })}\n`);
        } else {
          for (const r of results) process.stdout.write(line(r, false));
          for (const r of store) process.stdout.write(line(r, true));
          process.stdout.write(`${results.length + store.length - bad.length} ok, ${bad.length} not ok\n`);
        }
        // 1, not a thrown UserError: the report above is the message.
        if (bad.length > 0) process.exitCode = 1;
      } finally {
        bar.stop();
        db.close();
      }
    });
}
