import type { Command } from 'commander';
import type { TriageState } from '../../shared/domain.ts';
import { listIncidents, type StoredIncident } from '../../engine/store/incidents.ts';
import { TRIAGE_STATES } from '../../engine/store/notes.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
import { listOption, SEVERITIES } from '../list-option.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';

/**
 * Incidents as text: a header (rank, severity, score, span, who, from where, techniques), its
 * links, then the first `steps` steps of its storyline. Every line quotes log text, so each is
 * made terminal-safe whole.
 */
export function printIncidents(incidents: StoredIncident[], out: NodeJS.WritableStream, steps = 0): void {
  if (!incidents.length) {
    out.write('no incidents (run `gumshoe hunt` first)\n');
    return;
  }
  const line = (s: string): boolean => out.write(`${termSafe(s)}\n`);
  for (const i of incidents) {
    line(`#${i.rank} ${i.id}  ${i.severity.padEnd(8)} ${i.score.toFixed(3)}  ${i.triage.padEnd(20)} ${i.start} → ${i.end}`);
    line(`    ${i.title}`);
    line(`    actors: ${i.users.join(', ') || '(none)'}   from: ${i.sourceIPs.join(', ') || '(none)'}`);
    if (i.techniques.length) line(`    ATT&CK: ${i.tactics.join(', ')}  [${i.techniques.join(', ')}]`);
    for (const l of i.links) line(`    link: ${l.text}`);
    for (const r of i.reasons.filter((x) => !x.kind.startsWith('link-')).slice(0, 3)) line(`    why: ${r.text}`);
    for (const s of i.storyline.slice(0, steps)) {
      const tag = s.techniques.length ? ` [${s.techniques.join(', ')}]` : '';
      line(`      ${s.time}  ${s.user}  ${s.outcome === 'success' ? '' : `${s.outcome}: `}${s.summary}${tag}`);
    }
    if (steps && i.storyline.length > steps) line(`      … ${i.storyline.length - steps} more steps (gumshoe incidents --json)`);
    line(`    ${i.auditIDs.length} events, ${i.findings.length} finding${i.findings.length === 1 ? '' : 's'}: ${i.findings.slice(0, 6).join(', ')}${i.findings.length > 6 ? ', …' : ''}`);
  }
}

export function register(program: Command): void {
  program
    .command('incidents')
    .description('list the case’s incidents, ranked: one actor’s episode and whatever shares its credentials or addresses, with a storyline')
    .requiredOption('--case <dir>', 'case directory')
    .option('--json', 'print the incidents (storyline, links, reasons, cited auditIDs) as JSON on stdout')
    .option('--severity <list>', `comma-separated: ${SEVERITIES.join(', ')}`)
    .option('--state <list>', `comma-separated triage states: ${TRIAGE_STATES.join(', ')}`)
    .option('--user <text>', 'incidents involving a user (substring, case-insensitive)')
    .option('--ip <address>', 'incidents involving a source address')
    .option('--limit <n>', 'at most N incidents')
    .option('--steps <n>', 'storyline steps to print per incident (text output)', '8')
    .action((o: { case: string; json?: boolean; severity?: string; state?: string; user?: string; ip?: string; limit?: string; steps: string }) => {
      const limit = o.limit === undefined ? undefined : Number(o.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new UserError(`--limit must be a whole number, got ${o.limit}`);
      const steps = Number(o.steps);
      if (!(Number.isInteger(steps) && steps >= 0)) throw new UserError(`--steps must be a whole number, got ${o.steps}`);
      const db = openExistingCase(o.case, { readonly: true });
      try {
        let incidents = listIncidents(db, { severities: listOption(o.severity, SEVERITIES, 'severity'), states: listOption<TriageState>(o.state, TRIAGE_STATES, 'state'), user: o.user, sourceIP: o.ip });
        if (limit !== undefined) incidents = incidents.slice(0, limit);
        if (o.json) process.stdout.write(`${jsonSafe(incidents.map(({ startUs: _s, endUs: _e, ...rest }) => rest))}\n`);
        else printIncidents(incidents, process.stdout, steps);
      } finally {
        db.close();
      }
    });
}
