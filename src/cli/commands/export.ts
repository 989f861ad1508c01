import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runStage } from '../../engine/case/stages.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
import { progressBar } from '../progress.ts';
import { termSafe } from '../sanitize.ts';

interface ExportFlags {
  case: string;
  json?: string;
  pdf?: string;
  timesketch?: string;
  csv?: string;
  stix?: string;
  navigator?: string;
  allEvents?: boolean;
  examiner?: string;
  top: string;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('export the case: PDF for people; JSON (docs/case-export.schema.json), Timesketch JSON lines, CSV, STIX 2.1 and an ATT&CK Navigator layer for tools; evidence is re-hashed first')
    .requiredOption('--case <dir>', 'case directory')
    .option('--pdf <file>', 'write the PDF report here')
    .option('--json <file>', 'write the JSON export here (incidents first, then findings, cited events)')
    .option('--all-events', 'put every event of the case in the JSON export (streamed), not only the cited ones')
    .option('--timesketch <file>', 'write the full timeline as Timesketch-importable JSON lines')
    .option('--csv <file>', 'write the full timeline as CSV (RFC 4180, Timesketch columns)')
    .option('--stix <file>', 'write the incidents as a STIX 2.1 bundle')
    .option('--navigator <file>', 'write the techniques seen as an ATT&CK Navigator layer')
    .option('--examiner <name>', 'examiner named on the report (default: the case\'s examiner)')
    .option('--top <n>', 'findings with a detail page in the PDF appendix (every incident is always detailed)', '10')
    .action(async (o: ExportFlags) => {
      const out = { jsonPath: o.json, pdfPath: o.pdf, timesketchPath: o.timesketch, csvPath: o.csv, stixPath: o.stix, navigatorPath: o.navigator };
      if (!Object.values(out).some(Boolean)) throw new UserError('nothing to write: pass one or more of --pdf, --json, --timesketch, --csv, --stix, --navigator FILE');
      if (o.allEvents && !o.json) throw new UserError('--all-events goes into the JSON export: pass --json FILE too');
      const top = Number(o.top);
      if (!(Number.isInteger(top) && top >= 0)) throw new UserError(`--top must be a whole number, got ${o.top}`);
      const paths = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v && resolve(v)]));
      const db = openExistingCase(o.case);
      const bar = progressBar();
      try {
        // The stage loads the PDF writer and the hunt's modules (~1 s) only when it runs.
        const r = await runStage({ dir: o.case, db }, 'export', { ...paths, allEvents: o.allEvents === true, examiner: o.examiner ?? null, top }, { onProgress: bar.onProgress });
        bar.stop();
        const bad = r.export.evidence.filter((e) => !['match', 'in-container'].includes(e.verification.status));
        for (const f of r.files) process.stderr.write(`wrote ${f.kind} ${termSafe(f.path)} (${f.bytes} bytes in ${(f.ms / 1000).toFixed(1)} s, sha256 ${f.sha256})\n`);
        process.stderr.write(`${r.export.incidents.length} incidents, ${r.export.findings.length} findings, ${r.export.events.length} cited events, ${r.export.evidence.length} evidence items\n`);
        if (bad.length) {
          for (const e of bad) process.stderr.write(`WARNING: evidence ${e.verification.status}: ${termSafe(e.path)}\n`);
          process.exitCode = 3;
        }
      } finally {
        bar.stop();
        db.close();
      }
    });
}
