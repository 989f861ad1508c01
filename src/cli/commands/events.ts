import type { Command } from 'commander';
import type { AuditEvent } from '../../shared/domain.ts';
import { getRawRecord, iterateEvents, type EventFilter } from '../../engine/store/events-read.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
import { stdoutClosed, writeOut } from '../output.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';
import { formatUs, parseRfc3339 } from '../time.ts';

interface Opts {
  case: string;
  from?: string;
  to?: string;
  user?: string;
  verb?: string;
  resource?: string;
  namespace?: string;
  ip?: string;
  code?: string;
  limit?: string;
  json?: boolean;
}

const int = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag}: expected a whole number, got '${v}'`);
  return n;
};

function toFilter(o: Opts): EventFilter {
  return {
    fromUs: o.from === undefined ? undefined : parseRfc3339(o.from, '--from'),
    toUs: o.to === undefined ? undefined : parseRfc3339(o.to, '--to'),
    user: o.user,
    verb: o.verb,
    resource: o.resource,
    namespace: o.namespace,
    sourceIP: o.ip,
    responseCode: int(o.code, '--code'),
    limit: int(o.limit, '--limit'),
  };
}

const COLUMNS: [string, (e: AuditEvent) => string][] = [
  ['TIME', (e) => formatUs(e.timeUs)],
  ['VERB', (e) => e.verb],
  ['CODE', (e) => (e.responseCode === null ? '-' : String(e.responseCode))],
  ['USER', (e) => e.user],
  ['SOURCE IP', (e) => e.sourceIPs[0] ?? '-'],
  ['RESOURCE', (e) => [e.namespace, e.resource && (e.subresource ? `${e.resource}/${e.subresource}` : e.resource), e.name].filter(Boolean).join('/') || e.requestURI],
  ['AUDIT ID', (e) => e.auditID],
];

/**
 * Aligned per page rather than over the whole result, so output starts at once and memory stays
 * flat. Cells are log text, made terminal-safe; the listing stops when the reader goes (`| head`).
 */
async function writeTable(events: Iterable<AuditEvent>, page = 500): Promise<number> {
  let n = 0;
  let rows: string[][] = [];
  const flush = async (): Promise<void> => {
    const all = [COLUMNS.map(([h]) => h), ...rows];
    const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    for (const r of n <= rows.length ? all : rows) if (!(await writeOut(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}\n`))) break;
    rows = [];
  };
  for (const e of events) {
    rows.push(COLUMNS.map(([, f]) => termSafe(f(e))));
    n++;
    if (rows.length === page) await flush();
    if (stdoutClosed()) return n;
  }
  if (rows.length || n === 0) await flush();
  return n;
}

export function register(program: Command): void {
  program
    .command('events')
    .description('list events in time order, filtered; --json gives one event per line with its original record')
    .requiredOption('--case <dir>', 'case directory')
    .option('--from <time>', 'RFC 3339, inclusive')
    .option('--to <time>', 'RFC 3339, exclusive')
    .option('--user <name>', 'username')
    .option('--verb <verb>', 'get, list, create, delete…')
    .option('--resource <resource>', 'pods, secrets…')
    .option('--namespace <ns>', 'namespace')
    .option('--ip <addr>', 'client source IP (sourceIPs[0])')
    .option('--code <n>', 'HTTP response code')
    .option('--limit <n>', 'at most this many events')
    .option('--json', 'JSON lines on stdout, each with the original record text as `raw`')
    .action(async (opts: Opts) => {
      const filter = toFilter(opts);
      const db = openExistingCase(opts.case, { readonly: true });
      try {
        const events = iterateEvents(db, filter);
        if (opts.json) {
          for (const e of events) if (!(await writeOut(`${jsonSafe({ ...e, raw: getRawRecord(db, e.auditID) })}\n`))) break;
        } else {
          await writeTable(events);
        }
      } finally {
        db.close();
      }
    });
}
