import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
import { termSafe } from '../sanitize.ts';

export function register(program: Command): void {
  program
    .command('export')
    .description('export the case: JSON for tools (docs/case-export.schema.json), PDF for people; evidence is re-hashed first')
    .requiredOption('--case <dir>', 'case directory')
    .option('--json <file>', 'write the JSON export here')
    .option('--pdf <file>', 'write the PDF report here')
    .option('--examiner <name>', 'examiner named on the report')
    .option('--top <n>', 'findings with a page of their own in the PDF', '10')
    .action(async (o: { case: string; json?: string; pdf?: string; examiner?: string; top: string }) => {
      if (!o.json && !o.pdf) throw new UserError('nothing to write: pass --json FILE and/or --pdf FILE');
      const top = Number(o.top);
      if (!(Number.isInteger(top) && top >= 0)) throw new UserError(`--top must be a whole number, got ${o.top}`);
      const db = openExistingCase(o.case);
      try {
        // Loaded when used: the PDF writer and the hunt's modules cost ~1 s to import.
        const { exportCase } = await import('../../engine/report/export.ts');
        const r = await exportCase(db, o.case, { jsonPath: o.json && resolve(o.json), pdfPath: o.pdf && resolve(o.pdf), examiner: o.examiner ?? null, top });
        const bad = r.export.evidence.filter((e) => !['match', 'in-container'].includes(e.verification.status));
        for (const f of r.files) process.stderr.write(`wrote ${f.kind} ${f.path} (${f.bytes} bytes, sha256 ${f.sha256})\n`);
        process.stderr.write(`${r.export.findings.length} findings, ${r.export.events.length} cited events, ${r.export.evidence.length} evidence items\n`);
        if (bad.length) {
          for (const e of bad) process.stderr.write(`WARNING: evidence ${e.verification.status}: ${termSafe(e.path)}\n`);
          process.exitCode = 3;
        }
      } finally {
        db.close();
      }
    });
}
