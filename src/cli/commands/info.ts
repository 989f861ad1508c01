import type { Command } from 'commander';
import { openExistingCase } from '../../engine/store/open.ts';
import { caseSummary, type CaseSummary, type Count } from '../../engine/store/summary.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';
import { formatUs } from '../time.ts';

const counts = (xs: Count[]): string => xs.map((c) => `${c.value} (${c.count})`).join(', ') || '-';

/**
 * Users, IPs, verbs, evidence paths (archive members are named by whoever built the archive) and
 * error reasons are log text: every line is made terminal-safe whole, our own newline added after.
 */
function printText(s: CaseSummary, out: NodeJS.WritableStream): void {
  const line = (text = ''): boolean => out.write(`${termSafe(text)}\n`);
  line(`events    ${s.events} (from ${s.records} records)`);
  line(`time      ${s.fromUs === null ? '-' : `${formatUs(s.fromUs)} .. ${formatUs(s.toUs ?? s.fromUs)}`}${s.undated ? ` (+${s.undated} undated)` : ''}`);
  line(`formats   ${counts(s.formats)}`);
  line(`users     ${counts(s.topUsers)}`);
  line(`ips       ${counts(s.topSourceIPs)}`);
  line(`verbs     ${counts(s.topVerbs)}`);
  line();
  line(`evidence (${s.evidence.length})`);
  for (const e of s.evidence) {
    const fmts = e.formats.length ? e.formats.join(',') : e.container;
    line(`  ${e.status === 'done' ? '' : `[${e.status}] `}${e.sha256 ?? '-'.repeat(64)}  ${String(e.size ?? '?').padStart(10)}  ${fmts.padEnd(8)} ${String(e.events).padStart(8)} ev ${String(e.errors).padStart(5)} err  ${e.path}`);
  }
  line();
  line(`errors (${s.errors.total})${s.errors.byCode.length ? `: ${s.errors.byCode.map((c) => `${c.code} ${c.count}`).join(', ')}` : ''}`);
  for (const e of s.errors.first) line(`  ${e.path}:${e.line}  ${e.code}  ${e.reason}`);
  if (s.errors.total > s.errors.first.length) line(`  … ${s.errors.total - s.errors.first.length} more (--errors N)`);
}

export function register(program: Command): void {
  program
    .command('info')
    .description('what a case holds: evidence with hashes, counts, time range, busiest users/IPs/verbs, errors')
    .requiredOption('--case <dir>', 'case directory')
    .option('--json', 'print JSON on stdout')
    .option('--top <n>', 'entries per top list', '10')
    .option('--errors <n>', 'errors to list with file:line', '20')
    .action((opts: { case: string; json?: boolean; top: string; errors: string }) => {
      const db = openExistingCase(opts.case, { readonly: true });
      try {
        const s = caseSummary(db, { top: Number(opts.top), errors: Number(opts.errors) });
        if (opts.json) {
          const iso = (us: number | null) => (us === null ? null : formatUs(us));
          process.stdout.write(`${jsonSafe({ ...s, from: iso(s.fromUs), to: iso(s.toUs) })}\n`);
        } else printText(s, process.stdout);
      } finally {
        db.close();
      }
    });
}
