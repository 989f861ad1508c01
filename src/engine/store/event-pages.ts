import type { Db } from './db.ts';
import type { EventListRow } from '../../shared/contract.ts';

/** Filter for the UI's Events table (equality on indexed columns, substring on URI and name). */
export interface EventPageFilter {
  fromUs?: number;
  toUs?: number;
  user?: string;
  verb?: string;
  sourceIP?: string;
  text?: string;
}

/** One Events-table row (the contract's EventListRow): the scan columns only, no objects or raw text. */
export type EventPageRow = EventListRow;

function where(f: EventPageFilter): { sql: string; args: (string | number)[] } {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  const add = (sql: string, v: string | number | undefined): void => {
    if (v === undefined) return;
    parts.push(sql);
    args.push(v);
  };
  add('time_us >= ?', f.fromUs);
  add('time_us < ?', f.toUs);
  add('user = ?', f.user);
  add('verb = ?', f.verb);
  add('source_ip = ?', f.sourceIP);
  if (f.text !== undefined) {
    // Substring search on the two columns analysts paste from: escape LIKE's wildcards.
    const pat = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push("(request_uri LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')");
    args.push(pat, pat);
  }
  return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', args };
}

interface PageRow {
  audit_id: string;
  time_us: number;
  verb: string;
  user: string;
  source_ips: string;
  resource: string | null;
  namespace: string | null;
  name: string | null;
  response_code: number | null;
  decision: string | null;
  user_agent: string | null;
  request_uri: string;
}

/** A page of events in time order, with the total matching count. */
export function eventPage(db: Db, filter: EventPageFilter, offset: number, limit: number): { rows: EventPageRow[]; total: number } {
  const w = where(filter);
  const total = db.prepare(`SELECT count(*) FROM events${w.sql}`).pluck().get(...w.args) as number;
  const rows = db
    .prepare(
      `SELECT audit_id, time_us, verb, user, source_ips, resource, namespace, name, response_code, decision, user_agent, request_uri
       FROM events${w.sql} ORDER BY time_us, audit_id LIMIT ? OFFSET ?`,
    )
    .all(...w.args, limit, offset) as PageRow[];
  return {
    total,
    rows: rows.map((r) => ({
      auditID: r.audit_id,
      timeUs: r.time_us,
      verb: r.verb,
      user: r.user,
      sourceIPs: JSON.parse(r.source_ips) as string[],
      resource: r.resource,
      namespace: r.namespace,
      name: r.name,
      responseCode: r.response_code,
      decision: r.decision,
      userAgent: r.user_agent,
      requestURI: r.request_uri,
    })),
  };
}

/**
 * Event counts in `buckets` equal slices of [fromUs, toUs] (the case's whole range when omitted),
 * counted by SQLite so the timeline of a million-event case costs one indexed scan.
 */
export function eventHistogram(db: Db, buckets: number, fromUs?: number, toUs?: number): { startUs: number; bucketUs: number; counts: number[] } {
  const range = db.prepare('SELECT min(time_us) AS lo, max(time_us) AS hi FROM events').get() as { lo: number | null; hi: number | null };
  if (range.lo === null || range.hi === null) return { startUs: fromUs ?? 0, bucketUs: 1, counts: [] };
  const lo = fromUs ?? range.lo;
  const hi = toUs ?? range.hi + 1;
  const bucketUs = Math.max(1, Math.ceil((hi - lo) / buckets));
  const counts = new Array<number>(Math.max(1, Math.ceil((hi - lo) / bucketUs))).fill(0);
  const rows = db
    .prepare('SELECT CAST((time_us - ?) / ? AS INTEGER) AS b, count(*) AS n FROM events WHERE time_us >= ? AND time_us < ? GROUP BY b')
    .all(lo, bucketUs, lo, hi) as { b: number; n: number }[];
  for (const r of rows) if (r.b >= 0 && r.b < counts.length) counts[r.b] = r.n;
  return { startUs: lo, bucketUs, counts };
}
