import type { Db } from './db.ts';
import { listEvidence, type EvidenceRecord } from './evidence.ts';
import { countErrorsByCode, listErrors, type StoredRecordError } from './record-errors.ts';

export interface Count {
  value: string;
  count: number;
}

export interface CaseSummary {
  evidence: EvidenceRecord[];
  events: number;
  /** Records read in all (stages and copies of the same request included). */
  records: number;
  /** Events per source format. */
  formats: Count[];
  /** requestReceived time range, µs, over dated events; null when none is dated. */
  fromUs: number | null;
  toUs: number | null;
  /** Events whose record carried no usable time (the reader gives them 0): kept, but outside the range. */
  undated: number;
  topUsers: Count[];
  topSourceIPs: Count[];
  topVerbs: Count[];
  errors: { total: number; byCode: { code: string; count: number }[]; first: StoredRecordError[] };
}

function top(db: Db, column: string, n: number): Count[] {
  return db
    .prepare(`SELECT ${column} AS value, count(*) AS count FROM events WHERE ${column} IS NOT NULL GROUP BY ${column} ORDER BY count DESC, value LIMIT ?`)
    .all(n) as Count[];
}

/** What a case holds: inventory, counts, time range, the busiest actors, and what could not be read. */
export function caseSummary(db: Db, options: { top?: number; errors?: number } = {}): CaseSummary {
  const n = options.top ?? 10;
  const range = db
    .prepare('SELECT count(*) AS events, min(nullif(time_us, 0)) AS fromUs, max(nullif(time_us, 0)) AS toUs, count(*) FILTER (WHERE time_us = 0) AS undated FROM events')
    .get() as { events: number; fromUs: number | null; toUs: number | null; undated: number };
  const byCode = countErrorsByCode(db);
  return {
    evidence: listEvidence(db),
    events: range.events,
    // Every event's origin position, plus its further ones (migration 007).
    records: db.prepare('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM event_sources)').pluck().get() as number,
    formats: top(db, 'format', 100),
    fromUs: range.fromUs,
    toUs: range.toUs,
    undated: range.undated,
    topUsers: top(db, 'user', n),
    topSourceIPs: top(db, 'source_ip', n),
    topVerbs: top(db, 'verb', n),
    errors: { total: byCode.reduce((s, c) => s + c.count, 0), byCode, first: listErrors(db, { limit: options.errors ?? 20 }) },
  };
}
