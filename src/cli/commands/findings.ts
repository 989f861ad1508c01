import type { Command } from 'commander';
import type { TriageState } from '../../shared/domain.ts';
import type { Finding } from '../../engine/hunt/types.ts';
import { listFindings } from '../../engine/store/findings.ts';
import { TRIAGE_STATES } from '../../engine/store/notes.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
import { listOption, SEVERITIES } from '../list-option.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';

/**
 * Findings as text: one header line each, then up to `reasons` reasons. Titles and reasons quote
 * log text (users, names, user agents), so every line is made terminal-safe whole.
 */
export function printFindings(findings: Finding[], out: NodeJS.WritableStream, reasons = 0): void {
  if (!findings.length) {
    out.write('no findings\n');
    return;
  }
  const line = (s: string): boolean => out.write(`${termSafe(s)}\n`);
  for (const f of findings) {
    const tech = f.techniques.length ? `  [${f.techniques.join(', ')}]` : '';
    line(`${f.id}  ${f.severity.padEnd(8)} ${f.score.toFixed(3)}  ${f.kind.padEnd(10)} ${(f.triage ?? 'new').padEnd(20)} ${f.start}  ${f.title}${tech}`);
    for (const r of f.reasons.slice(0, reasons)) line(`      - ${r.text}${r.auditIDs.length ? `  (${r.auditIDs.length} events)` : ''}`);
    if (reasons && f.reasons.length > reasons) line(`      … ${f.reasons.length - reasons} more reasons (gumshoe findings --json)`);
  }
}

export function register(program: Command): void {
  program
    .command('findings')
    .description('list the case’s findings, riskiest first, with filters')
    .requiredOption('--case <dir>', 'case directory')
    .option('--json', 'print the findings (with reasons) as JSON on stdout')
    .option('--severity <list>', `comma-separated: ${SEVERITIES.join(', ')}`)
    .option('--state <list>', `comma-separated triage states: ${TRIAGE_STATES.join(', ')}`)
    .option('--technique <list>', 'comma-separated ATT&CK IDs (T1552 also matches T1552.007)')
    .option('--limit <n>', 'at most N findings')
    .option('--reasons <n>', 'reasons to print per finding (text output)', '3')
    .action((o: { case: string; json?: boolean; severity?: string; state?: string; technique?: string; limit?: string; reasons: string }) => {
      const limit = o.limit === undefined ? undefined : Number(o.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new UserError(`--limit must be a whole number, got ${o.limit}`);
      const filter = {
        severities: listOption(o.severity, SEVERITIES, 'severity'),
        states: listOption<TriageState>(o.state, TRIAGE_STATES, 'state'),
        techniques: o.technique?.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean),
        limit,
      };
      const db = openExistingCase(o.case, { readonly: true });
      try {
        const findings = listFindings(db, filter);
        if (o.json) process.stdout.write(`${jsonSafe(findings)}\n`);
        else printFindings(findings, process.stdout, Number(o.reasons));
      } finally {
        db.close();
      }
    });
}
