import type { Command } from 'commander';
import { CASE_META_FIELDS, getCaseMeta, setCaseMeta, type CaseMeta } from '../../engine/store/case-meta.ts';
import { openExistingCase } from '../../engine/store/open.ts';

interface Opts {
  case: string;
  examiner?: string;
  number?: string;
  requester?: string;
  scope?: string;
  summary?: string;
  conclusions?: string;
  json?: boolean;
}

const LABELS: Record<keyof CaseMeta, string> = {
  examiner: 'examiner',
  caseNumber: 'number',
  requester: 'requester',
  scope: 'scope',
  summary: 'summary',
  conclusions: 'conclusions',
};

export function register(program: Command): void {
  program
    .command('case')
    .description("show or set the case's own fields (examiner, case number, requester, scope…), recorded on notes, triage and exports")
    .requiredOption('--case <dir>', 'case directory')
    .option('--examiner <name>', 'who examines the case (set once; the author of every note, triage change and export)')
    .option('--number <id>', 'case number')
    .option('--requester <who>', 'who asked for the examination')
    .option('--scope <text>', 'what was examined and what was not')
    .option('--summary <text>', "the analyst's executive summary for the report")
    .option('--conclusions <text>', 'conclusions for the report')
    .option('--json', 'print the fields as JSON on stdout')
    .action((o: Opts) => {
      const db = openExistingCase(o.case);
      try {
        const patch: Partial<CaseMeta> = {
          examiner: o.examiner,
          caseNumber: o.number,
          requester: o.requester,
          scope: o.scope,
          summary: o.summary,
          conclusions: o.conclusions,
        };
        const changing = Object.values(patch).some((v) => v !== undefined);
        const meta = changing ? setCaseMeta(db, patch) : getCaseMeta(db);
        if (o.json) {
          process.stdout.write(`${JSON.stringify(meta)}\n`);
          return;
        }
        for (const k of CASE_META_FIELDS) process.stdout.write(`${LABELS[k].padEnd(12)}${meta[k] ?? '—'}\n`);
      } finally {
        db.close();
      }
    });
}
