import type { Db } from './db.ts';

/** The columns the search index reads from each event (no raw text, no response bodies). */
export interface IndexedEventRow {
  id: number;
  audit_id: string;
  time_us: number;
  verb: string;
  user: string;
  source_ip: string | null;
  user_agent: string | null;
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
  name: string | null;
  request_uri: string;
  response_code: number | null;
  decision: string | null;
  request_object: string | null;
}

/** What the caller adds per event: the object's name from its request body, and words for free text. */
export interface IndexExtras {
  objectName: string | null;
  /** A line of words (e.g. describeEvent's summary) for events whose body says more than the URI. */
  words: string | null;
}

/** Entity kinds the stats table counts (the search's substring and CIDR matches run over these). */
export type StatKind = 'user' | 'ip' | 'agent' | 'namespace' | 'resource' | 'verb' | 'name';
/** Kinds that have an entity page built from pairs and hours. */
export type PageKind = 'user' | 'ip' | 'namespace';
/** What a page counts beside its entity; 'vr' is "verb resource". */
export type PairKind = 'user' | 'ip' | 'agent' | 'namespace' | 'vr';

const HOUR_US = 3_600_000_000;

/**
 * Rows read and folded per step while indexing: large enough that the per-step upserts are few,
 * small enough that the counting maps stay a few MB (a step's distinct pairs are bounded by its rows).
 */
const STEP_ROWS = 100_000;

export function indexedTo(db: Db): number {
  const r = db.prepare('select indexed_to from search_state where id = 1').get() as { indexed_to: number } | undefined;
  return r?.indexed_to ?? 0;
}

/** Whether events were added since the index was last brought up to date. */
export function searchIndexStale(db: Db): boolean {
  const max = (db.prepare('select max(id) from events').pluck().get() as number | null) ?? 0;
  return max > indexedTo(db);
}

/**
 * Indexes that search and the entity pages filter on beyond the ingest's pivots. Built on first
 * use rather than in a migration: a bulk ingest into an empty case then never maintains them row
 * by row (store/indexes.ts rebuilds only the ingest's own list), and building one on 672K events
 * takes about a second, once.
 */
const LAZY_INDEXES = [
  'create index if not exists events_user_agent on events(user_agent, time_us)',
  'create index if not exists events_name on events(name, time_us)',
  'create index if not exists events_decision on events(decision, time_us)',
];

/**
 * Bring the search index up to date with every event stored since it was last updated; returns
 * how many events it indexed. `extras` names what the row alone does not (the caller knows how to
 * read request bodies; the store does not).
 */
export function refreshSearchIndex(db: Db, extras: (r: IndexedEventRow) => IndexExtras, stepRows = STEP_ROWS): number {
  for (const sql of LAZY_INDEXES) db.exec(sql);
  let total = 0;
  const read = db.prepare(
    `select id, audit_id, time_us, verb, user, source_ip, user_agent, resource, subresource, namespace, name, request_uri,
            response_code, decision, request_object
     from events where id > ? order by id limit ?`,
  );
  const stat = db.prepare(
    `insert into entity_stats (kind, value, events, first_us, last_us) values (?, ?, ?, ?, ?)
     on conflict(kind, value) do update set events = events + excluded.events,
       first_us = min(first_us, excluded.first_us), last_us = max(last_us, excluded.last_us)`,
  );
  const pair = db.prepare(
    `insert into entity_pairs (kind, value, other_kind, other_value, events) values (?, ?, ?, ?, ?)
     on conflict(kind, value, other_kind, other_value) do update set events = events + excluded.events`,
  );
  const hour = db.prepare(
    `insert into entity_hours (kind, value, hour, events) values (?, ?, ?, ?)
     on conflict(kind, value, hour) do update set events = events + excluded.events`,
  );
  const objName = db.prepare('insert or replace into event_object_names (event_id, name) values (?, ?)');
  const fts = db.prepare('insert into search_fts (rowid, doc) values (?, ?)');
  const mark = db.prepare('insert into search_state (id, indexed_to) values (1, ?) on conflict(id) do update set indexed_to = excluded.indexed_to');
  // Each step is one IMMEDIATE transaction that reads where the index stands inside it: two
  // connections refreshing at once (a read thread's search, the ingest job's last step, another
  // read thread) then take turns step by step, each indexing the next events no one has, instead
  // of both indexing the same ones (FTS rowids collide and the entity counts double).
  const step = db.transaction((): number => {
    const rows = read.all(indexedTo(db), stepRows) as IndexedEventRow[];
    if (rows.length === 0) return 0;
    const stats = new Map<string, { kind: string; value: string; n: number; lo: number; hi: number }>();
    const pairs = new Map<string, number>();
    const hours = new Map<string, number>();
    const bump = (kind: StatKind, value: string | null, t: number): void => {
      if (value === null || value === '') return;
      const k = `${kind}\u0000${value}`;
      const s = stats.get(k);
      if (s) {
        s.n++;
        if (t < s.lo) s.lo = t;
        if (t > s.hi) s.hi = t;
      } else stats.set(k, { kind, value, n: 1, lo: t, hi: t });
    };
    for (const r of rows) {
      const x = extras(r);
      const name = r.name ?? x.objectName;
      bump('user', r.user, r.time_us);
      bump('ip', r.source_ip, r.time_us);
      bump('agent', r.user_agent, r.time_us);
      bump('namespace', r.namespace, r.time_us);
      bump('resource', r.resource, r.time_us);
      bump('verb', r.verb, r.time_us);
      bump('name', name, r.time_us);
      const others: [PairKind, string | null][] = [
        ['user', r.user || null],
        ['ip', r.source_ip],
        ['agent', r.user_agent],
        ['namespace', r.namespace],
        ['vr', `${r.verb} ${r.resource ?? pathOnly(r.request_uri)}${r.subresource ? `/${r.subresource}` : ''}`],
      ];
      const h = Math.floor(r.time_us / HOUR_US);
      for (const [kind, value] of others.slice(0, 4) as [PageKind | 'agent', string | null][]) {
        if (kind === 'agent' || value === null || value === '') continue;
        const ek = `${kind}\u0000${value}`;
        hours.set(`${ek}\u0000${h}`, (hours.get(`${ek}\u0000${h}`) ?? 0) + 1);
        for (const [ok, ov] of others) {
          if (ok === kind || ov === null || ov === '') continue;
          const pk = `${ek}\u0000${ok}\u0000${ov}`;
          pairs.set(pk, (pairs.get(pk) ?? 0) + 1);
        }
      }
      if (r.name === null && x.objectName !== null) objName.run(r.id, x.objectName);
      const doc = [r.audit_id, r.request_uri, r.user, r.user_agent, name, x.words].filter(Boolean).join(' ');
      fts.run(r.id, doc);
    }
    for (const s of stats.values()) stat.run(s.kind, s.value, s.n, s.lo, s.hi);
    for (const [k, n] of pairs) {
      const [kind, value, ok, ov] = k.split('\u0000');
      pair.run(kind, value, ok, ov, n);
    }
    for (const [k, n] of hours) {
      const [kind, value, hr] = k.split('\u0000');
      hour.run(kind, value, Number(hr), n);
    }
    mark.run(rows[rows.length - 1].id);
    return rows.length;
  });
  for (;;) {
    const n = step.immediate();
    total += n;
    if (n < stepRows) break;
  }
  return total;
}

function pathOnly(uri: string): string {
  const q = uri.indexOf('?');
  return q < 0 ? uri : uri.slice(0, q);
}

/** Distinct values of one kind, with counts and span (the search's substring and CIDR candidates). */
export function entityValues(db: Db, kind: StatKind): { value: string; events: number; firstUs: number; lastUs: number }[] {
  return db.prepare('select value, events, first_us firstUs, last_us lastUs from entity_stats where kind = ?').all(kind) as {
    value: string;
    events: number;
    firstUs: number;
    lastUs: number;
  }[];
}

export function entityStat(db: Db, kind: StatKind, value: string): { events: number; firstUs: number; lastUs: number } | null {
  return (
    (db.prepare('select events, first_us firstUs, last_us lastUs from entity_stats where kind = ? and value = ?').get(kind, value) as
      | { events: number; firstUs: number; lastUs: number }
      | undefined) ?? null
  );
}

/** What was seen beside one entity, one kind at a time, most first. */
export function entityPairs(db: Db, kind: PageKind, value: string, other: PairKind, limit: number): { value: string; events: number }[] {
  return db
    .prepare('select other_value value, events from entity_pairs where kind = ? and value = ? and other_kind = ? order by events desc, other_value limit ?')
    .all(kind, value, other, limit) as { value: string; events: number }[];
}

/** Events per hour for one entity: hour = floor(µs / 3.6e9). */
export function entityHours(db: Db, kind: PageKind, value: string): { hour: number; events: number }[] {
  return db.prepare('select hour, events from entity_hours where kind = ? and value = ? order by hour').all(kind, value) as { hour: number; events: number }[];
}
