import type { Command } from 'commander';
import { openExistingCase } from '../../engine/store/open.ts';
import { caseSummary, type CaseSummary, type Count } from '../../engine/store/summary.ts';
import { formatUs } from '../time.ts';

const counts = (xs: Count[]): string => xs.map((c) => `${c.value} (${c.count})`).join(', ') || '-';

function printText(s: CaseSummary, out: NodeJS.WritableStream): void {
  out.write(`events    ${s.events} (from ${s.records} records)\n`);
  out.write(`time      ${s.fromUs === null ? '-' : `${formatUs(s.fromUs)} .. ${formatUs(s.toUs ?? s.fromUs)}`}${s.undated ? ` (+${s.undated} undated)` : ''}\n`);
  out.write(`formats   ${counts(s.formats)}\n`);
  out.write(`users     ${counts(s.topUsers)}\n`);
  out.write(`ips       ${counts(s.topSourceIPs)}\n`);
  out.write(`verbs     ${counts(s.topVerbs)}\n`);
  out.write(`\nevidence (${s.evidence.length})\n`);
  for (const e of s.evidence) {
    const fmts = e.formats.length ? e.formats.join(',') : e.container;
    out.write(`  ${e.status === 'done' ? '' : `[${e.status}] `}${e.sha256 ?? '-'.repeat(64)}  ${String(e.size ?? '?').padStart(10)}  ${fmts.padEnd(8)} ${String(e.events).padStart(8)} ev ${String(e.errors).padStart(5)} err  ${e.path}\n`);
  }
  out.write(`\nerrors (${s.errors.total})${s.errors.byCode.length ? `: ${s.errors.byCode.map((c) => `${c.code} ${c.count}`).join(', ')}` : ''}\n`);
  for (const e of s.errors.first) out.write(`  ${e.path}:${e.line}  ${e.code}  ${e.reason}\n`);
  if (s.errors.total > s.errors.first.length) out.write(`  … ${s.errors.total - s.errors.first.length} more (--errors N)\n`);
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
          process.stdout.write(`${JSON.stringify({ ...s, from: iso(s.fromUs), to: iso(s.toUs) })}\n`);
        } else printText(s, process.stdout);
      } finally {
        db.close();
      }
    });
}
