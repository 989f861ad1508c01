import type { Command } from 'commander';
import type { AuditEvent } from '../../shared/domain.ts';
import { getRawRecord, iterateEvents, type EventFilter } from '../../engine/store/events-read.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';
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

// Log strings are data: strip control characters so a hostile user agent cannot drive the terminal.
const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** Aligned per page rather than over the whole result, so output starts at once and memory stays flat. */
function writeTable(events: Iterable<AuditEvent>, out: NodeJS.WritableStream, page = 500): number {
  let n = 0;
  let rows: string[][] = [];
  const flush = (): void => {
    const all = [COLUMNS.map(([h]) => h), ...rows];
    const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    for (const r of n <= rows.length ? all : rows) out.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}\n`);
    rows = [];
  };
  for (const e of events) {
    rows.push(COLUMNS.map(([, f]) => clean(f(e))));
    n++;
    if (rows.length === page) flush();
  }
  if (rows.length || n === 0) flush();
  return n;
}

let pipeHandled = false;
/**
 * `gumshoe events … | head` closes the pipe early: the reader's choice, not a failure. Installed
 * once and left in place, since the EPIPE can arrive after the command has returned.
 */
function ignoreClosedPipe(): void {
  if (pipeHandled) return;
  pipeHandled = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
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
    .action((opts: Opts) => {
      const filter = toFilter(opts);
      const db = openExistingCase(opts.case, { readonly: true });
      ignoreClosedPipe();
      try {
        const events = iterateEvents(db, filter);
        if (opts.json) {
          for (const e of events) process.stdout.write(`${JSON.stringify({ ...e, raw: getRawRecord(db, e.auditID) })}\n`);
        } else {
          writeTable(events, process.stdout);
        }
      } finally {
        db.close();
      }
    });
}
