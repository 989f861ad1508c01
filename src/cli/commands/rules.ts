import type { Command } from 'commander';
import type { AuditEvent, Severity } from '../../shared/domain.ts';
import { readBundle } from '../../engine/ingest/index.ts';
import { iterateEvents } from '../../engine/store/events-read.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
import { loadBuiltinRules, loadSigmaRules, SEVERITY_RANK, streamRulesAsync, type Rule, type RuleHit } from '../../engine/rules/index.ts';
import { writeOut } from '../output.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';
import { formatUs } from '../time.ts';

interface RuleOpts {
  sigma?: string[];
  builtin: boolean;
  json?: boolean;
}
interface TestOpts extends RuleOpts {
  case?: string;
  minSeverity: string;
}

const collect = (v: string, acc: string[] = []): string[] => [...acc, v];

function loadRules(o: RuleOpts): Rule[] {
  const rules: Rule[] = o.builtin ? loadBuiltinRules() : [];
  if (o.sigma?.length) {
    rules.push(...loadSigmaRules(o.sigma, (e) => process.stderr.write(`gumshoe: skipped ${termSafe(e.path)}: ${termSafe(e.message)}\n`)));
  }
  if (rules.length === 0) throw new UserError('no rules to run (--no-builtin without --sigma)');
  return rules;
}

/** Cells hold log text (users, details) and rule files' text (titles, authors): made terminal-safe before widths are taken. */
function table(cells: string[][], out: NodeJS.WritableStream): void {
  const rows = cells.map((r) => r.map(termSafe));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) out.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}\n`);
}

async function* fromBundle(paths: string[]): AsyncGenerator<AuditEvent> {
  for await (const item of readBundle(paths)) {
    if (item.type === 'events') yield* item.events;
    else if (item.type === 'error') process.stderr.write(`gumshoe: ${termSafe(`${item.path}:${item.line}: ${item.reason}`)}\n`);
  }
}

async function* fromCase(dir: string): AsyncGenerator<AuditEvent> {
  const db = openExistingCase(dir, { readonly: true });
  try {
    yield* iterateEvents(db);
  } finally {
    db.close();
  }
}

export function register(program: Command): void {
  const rules = program.command('rules').description('the built-in ATT&CK rule pack and Sigma rules');
  rules
    .command('list')
    .description('list the rules that would run')
    .option('--sigma <path>', 'also load Sigma rules from a file or folder (repeatable)', collect)
    .option('--no-builtin', 'leave out the built-in pack')
    .option('--json', 'one JSON object per rule on stdout')
    .action((o: RuleOpts) => {
      const loaded = loadRules(o);
      if (o.json) {
        for (const r of loaded) {
          const { matcher: _m, ...meta } = r;
          process.stdout.write(`${jsonSafe(meta)}\n`);
        }
        return;
      }
      table([['ID', 'SEVERITY', 'TECHNIQUES', 'TITLE'], ...loaded.map((r) => [r.id, r.severity, r.techniques.join(',') || '-', r.author ? `${r.title} (${r.author})` : r.title])], process.stdout);
    });
  rules
    .command('test')
    .description('run the rules over audit log files/bundles, or over a case; prints the hits')
    .argument('[paths...]', 'audit log files, folders or archives')
    .option('--case <dir>', 'run over the events of a case instead of files')
    .option('--sigma <path>', 'also load Sigma rules from a file or folder (repeatable)', collect)
    .option('--no-builtin', 'leave out the built-in pack')
    .option('--min-severity <level>', 'info, low, medium, high or critical', 'info')
    .option('--json', 'one JSON RuleHit per line on stdout')
    .action(async (paths: string[], o: TestOpts) => {
      if (!(o.minSeverity in SEVERITY_RANK)) throw new UserError(`--min-severity: expected one of ${Object.keys(SEVERITY_RANK).join(', ')}`);
      if (!o.case === (paths.length === 0)) throw new UserError('give either audit log paths or --case, not both or neither');
      const loaded = loadRules(o);
      const floor = SEVERITY_RANK[o.minSeverity as Severity];
      const events = o.case ? fromCase(o.case) : fromBundle(paths);
      const rows: string[][] = [['TIME', 'SEVERITY', 'RULE', 'USER', 'AUDIT ID', 'DETAIL']];
      let n = 0;
      const errors = (r: Rule, e: AuditEvent, err: unknown): void => {
        process.stderr.write(`gumshoe: ${termSafe(`rule ${r.id} failed on ${e.auditID}: ${err instanceof Error ? err.message : String(err)}`)}\n`);
      };
      for await (const h of streamRulesAsync(loaded, events, errors)) {
        if (SEVERITY_RANK[h.severity] < floor) continue;
        n++;
        if (!o.json) rows.push(row(h));
        else if (!(await writeOut(`${jsonSafe(h)}\n`))) break;
      }
      if (!o.json) {
        if (n > 0) table(rows, process.stdout);
        process.stderr.write(`${n} hit(s) from ${loaded.length} rules\n`);
      }
    });
}

function row(h: RuleHit): string[] {
  return [formatUs(h.timeUs), h.severity, h.ruleId, h.user, h.auditID, h.detail];
}
