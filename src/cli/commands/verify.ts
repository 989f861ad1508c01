import type { Command } from 'commander';
import { verifyCase } from '../../engine/jobs/verify.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { progressBar } from '../progress.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';

export function register(program: Command): void {
  program
    .command('verify')
    .description('re-hash every evidence item and compare with the acquisition hash; exits non-zero on any mismatch')
    .requiredOption('--case <dir>', 'case directory')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { case: string; json?: boolean }) => {
      const db = openExistingCase(opts.case, { readonly: true });
      const bar = progressBar();
      try {
        const results = await verifyCase(db, { onProgress: bar.onProgress });
        bar.stop();
        const bad = results.filter((r) => r.status !== 'ok');
        if (opts.json) {
          process.stdout.write(`${jsonSafe({ ok: bad.length === 0, results })}\n`);
        } else {
          // Paths are log-derived too: archive members are named by whoever built the archive.
          for (const r of results) process.stdout.write(`${r.status.padEnd(10)} ${termSafe(r.path)}${r.status === 'changed' ? `  (was ${r.expected}, now ${r.actual})` : ''}\n`);
          process.stdout.write(`${results.length - bad.length} ok, ${bad.length} not ok\n`);
        }
        // 1, not a thrown UserError: the report above is the message.
        if (bad.length > 0) process.exitCode = 1;
      } finally {
        bar.stop();
        db.close();
      }
    });
}
