import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { FindingRecord } from '../../shared/domain.ts';
import { evaluate, type EvalReport } from '../../engine/simulate/evaluate.ts';
import { readFindings, readTruth } from '../../engine/simulate/findings-file.ts';
import { CASE_DB } from '../../engine/store/db.ts';
import { listFindings } from '../../engine/store/findings.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(0)}%`);

function loadFindings(caseDir: string, file: string | undefined): { findings: FindingRecord[]; source: string } {
  try {
    if (file) return { findings: readFindings(file), source: file };
    const inCase = join(caseDir, 'findings.json');
    if (existsSync(inCase)) return { findings: readFindings(inCase), source: inCase };
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  if (existsSync(join(caseDir, CASE_DB))) {
    const db = openExistingCase(caseDir, { readonly: true });
    try {
      return { findings: listFindings(db), source: join(caseDir, CASE_DB) };
    } finally {
      db.close();
    }
  }
  throw new UserError(`no findings: pass --findings FILE, or put findings.json in ${caseDir}, or run the hunt on that case`);
}

function printText(r: EvalReport, source: string, out: NodeJS.WritableStream): void {
  out.write(`findings  ${r.findings} (from ${termSafe(source)})\n`);
  out.write(`recall    @10 ${pct(r.recallAt['10'])}  @20 ${pct(r.recallAt['20'])}  @50 ${pct(r.recallAt['50'])}  (${r.malicious} malicious scenarios)\n`);
  out.write(`precision @10 ${pct(r.precisionAt['10'])}  @20 ${pct(r.precisionAt['20'])}  @50 ${pct(r.precisionAt['50'])}\n\n`);
  for (const s of r.scenarios) {
    const state = s.found ? `found at rank ${s.rank}` : 'missed';
    out.write(`${termSafe(`  ${s.label === 'benign' ? 'benign   ' : 'malicious'}  ${s.id.padEnd(22)} ${state.padEnd(18)} ${s.techniques.join(',')}`)}\n`);
    // Explanations quote log text.
    if (s.label === 'benign' && s.found) for (const e of s.explanations.slice(0, 5)) out.write(`             flagged because: ${termSafe(e)}\n`);
  }
}

export function register(program: Command): void {
  program
    .command('eval')
    .description("score a case's findings against a simulator ground_truth.json (matching rule: docs/findings.md)")
    .requiredOption('--case <dir>', 'case directory')
    .requiredOption('--truth <file>', 'ground_truth.json written by gumshoe simulate')
    .option('--findings <file>', 'finding list (FindingRecord[] as JSON) instead of the case’s')
    .option('--json', 'print the report as JSON on stdout')
    .action((o: { case: string; truth: string; findings?: string; json?: boolean }) => {
      let truth;
      try {
        truth = readTruth(o.truth);
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      const { findings, source } = loadFindings(o.case, o.findings);
      const report = evaluate(findings, truth);
      if (o.json) process.stdout.write(`${jsonSafe(report)}\n`);
      else printText(report, source, process.stdout);
    });
}
