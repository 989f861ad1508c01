import type { Db } from './db.ts';

/**
 * A search resolved to exact values (the engine's events/search.ts turns substrings, CIDR blocks
 * and code classes into these). Undefined: no constraint. An empty list: nothing can match.
 */
export interface ResolvedSearch {
  fromUs?: number;
  toUs?: number;
  users?: string[];
  ips?: string[];
  verbs?: string[];
  resources?: string[];
  namespaces?: string[];
  /** Object names, matched on objectRef.name and on the request body's metadata.name. */
  names?: string[];
  codeRange?: { lo: number; hi: number };
  decisions?: string[];
  agents?: string[];
  /** An FTS5 MATCH expression over the event's words. */
  fts?: string;
  /** Only these events (starred or tagged ones). */
  auditIDs?: string[];
}

/** The columns a result row carries: the Events-table row plus what describeEvent reads. */
export interface SearchTuple {
  id: number;
  audit_id: string;
  time_us: number;
  verb: string;
  user: string;
  source_ips: string;
  user_agent: string | null;
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
  name: string | null;
  request_uri: string;
  response_code: number | null;
  decision: string | null;
  request_object: string | null;
  response_object: string | null;
}

const COLUMNS =
  'e.id, e.audit_id, e.time_us, e.verb, e.user, e.source_ips, e.user_agent, e.resource, e.subresource, e.namespace, e.name, e.request_uri, e.response_code, e.decision, e.request_object, e.response_object';

function isEmpty(s: ResolvedSearch): boolean {
  return [s.users, s.ips, s.verbs, s.resources, s.namespaces, s.names, s.decisions, s.agents, s.auditIDs].some((l) => l !== undefined && l.length === 0);
}

function where(s: ResolvedSearch): { sql: string; args: (string | number)[] } {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  const inList = (col: string, values: string[] | undefined): void => {
    if (values === undefined) return;
    parts.push(`${col} in (${values.map(() => '?').join(', ')})`);
    args.push(...values);
  };
  if (s.fromUs !== undefined) {
    parts.push('e.time_us >= ?');
    args.push(s.fromUs);
  }
  if (s.toUs !== undefined) {
    parts.push('e.time_us < ?');
    args.push(s.toUs);
  }
  inList('e.user', s.users);
  inList('e.source_ip', s.ips);
  inList('e.verb', s.verbs);
  inList('e.resource', s.resources);
  inList('e.namespace', s.namespaces);
  inList('e.decision', s.decisions);
  inList('e.user_agent', s.agents);
  inList('e.audit_id', s.auditIDs);
  if (s.names !== undefined) {
    const q = s.names.map(() => '?').join(', ');
    parts.push(`(e.name in (${q}) or e.id in (select event_id from event_object_names where name in (${q})))`);
    args.push(...s.names, ...s.names);
  }
  if (s.codeRange) {
    parts.push('e.response_code between ? and ?');
    args.push(s.codeRange.lo, s.codeRange.hi);
  }
  if (s.fts !== undefined) {
    parts.push('e.id in (select rowid from search_fts where search_fts match ?)');
    args.push(s.fts);
  }
  return { sql: parts.length ? ` where ${parts.join(' and ')}` : '', args };
}

/**
 * Events read in time order before a page falls back to the planner's own plan. A search that
 * matches densely (most do: "secrets", "system users that get pods") fills its first page within
 * the first few thousand events of its range, and walking the time index is then far cheaper than
 * collecting every match to sort it (measured on 672K events: 450 ms → 60 ms for a three-field
 * search); 30,000 rows bounds the walk at ~50 ms when the search turns out to be sparse.
 */
const TIME_WALK_ROWS = 30_000;

/** A page of matching events in time order. */
export function searchPage(db: Db, s: ResolvedSearch, offset: number, limit: number): SearchTuple[] {
  if (isEmpty(s)) return [];
  const w = where(s);
  const want = offset + limit;
  if (want <= TIME_WALK_ROWS && w.sql !== '' && !timeOnly(s)) {
    const range = timeRange(s);
    const walked = db
      .prepare(
        `select ${COLUMNS} from (select id from events indexed by events_time${range.sql} order by time_us, id limit ?) w
         cross join events e on e.id = w.id${w.sql} order by e.time_us, e.id limit ?`,
      )
      .all(...range.args, TIME_WALK_ROWS, ...w.args, want) as SearchTuple[];
    if (walked.length >= want) return walked.slice(offset);
  }
  return db.prepare(`select ${COLUMNS} from events e${w.sql} order by e.time_us, e.id limit ? offset ?`).all(...w.args, limit, offset) as SearchTuple[];
}

function timeOnly(s: ResolvedSearch): boolean {
  return Object.entries(s).every(([k, v]) => v === undefined || k === 'fromUs' || k === 'toUs');
}

function timeRange(s: ResolvedSearch): { sql: string; args: number[] } {
  const parts: string[] = [];
  const args: number[] = [];
  if (s.fromUs !== undefined) {
    parts.push('time_us >= ?');
    args.push(s.fromUs);
  }
  if (s.toUs !== undefined) {
    parts.push('time_us < ?');
    args.push(s.toUs);
  }
  return { sql: parts.length ? ` where ${parts.join(' and ')}` : '', args };
}

/** How many events match, counting no further than `cap` (a count of every row costs a scan). */
export function searchCount(db: Db, s: ResolvedSearch, cap: number): { total: number; capped: boolean } {
  if (isEmpty(s)) return { total: 0, capped: false };
  const w = where(s);
  const n = db.prepare(`select count(*) from (select 1 from events e${w.sql} limit ?)`).pluck().get(...w.args, cap + 1) as number;
  return n > cap ? { total: cap, capped: true } : { total: n, capped: false };
}

/** Every matching event, streamed in time order (exports). */
export function iterateSearch(db: Db, s: ResolvedSearch, limit: number): IterableIterator<SearchTuple> {
  if (isEmpty(s)) return [][Symbol.iterator]();
  const w = where(s);
  return db.prepare(`select ${COLUMNS} from events e${w.sql} order by e.time_us, e.id limit ?`).iterate(...w.args, limit) as IterableIterator<SearchTuple>;
}
