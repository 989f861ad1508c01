import type { AuditEvent } from '../../shared/domain.ts';
import type { Db } from './db.ts';
import { fromStoredRow, type StoredEventRow } from './event-row.ts';
import { rawFilePath, RawReader } from './raw-file.ts';

export interface EventFilter {
  /** Inclusive lower bound on requestReceived time, µs. */
  fromUs?: number;
  /** Exclusive upper bound, µs. */
  toUs?: number;
  user?: string;
  verb?: string;
  resource?: string;
  namespace?: string;
  /** Matches the client address, sourceIPs[0]. */
  sourceIP?: string;
  responseCode?: number;
  limit?: number;
}

const SELECT = `SELECT e.*, v.path AS origin_path FROM events e JOIN evidence v ON v.id = e.origin_evidence`;

function where(filter: EventFilter): { sql: string; args: (string | number)[] } {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  const eq = (col: string, v: string | number | undefined): void => {
    if (v === undefined) return;
    parts.push(`e.${col} = ?`);
    args.push(v);
  };
  if (filter.fromUs !== undefined) {
    parts.push('e.time_us >= ?');
    args.push(filter.fromUs);
  }
  if (filter.toUs !== undefined) {
    parts.push('e.time_us < ?');
    args.push(filter.toUs);
  }
  eq('user', filter.user);
  eq('verb', filter.verb);
  eq('resource', filter.resource);
  eq('namespace', filter.namespace);
  eq('source_ip', filter.sourceIP);
  eq('response_code', filter.responseCode);
  return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', args };
}

/**
 * Events matching `filter`, ordered by time, streamed. Ties go in acquisition order (rowid), which
 * every pivot index already carries, so no sort of the whole case is ever needed.
 */
export function iterateEvents(db: Db, filter: EventFilter = {}): IterableIterator<AuditEvent> {
  const w = where(filter);
  const limit = filter.limit ?? -1;
  const rows = db.prepare(`${SELECT}${w.sql} ORDER BY e.time_us, e.id LIMIT ?`).iterate(...w.args, limit) as IterableIterator<StoredEventRow>;
  function* map(): IterableIterator<AuditEvent> {
    for (const r of rows) yield fromStoredRow(r);
  }
  return map();
}

/** How many events match (the same filter iterateEvents takes, limit ignored). */
export function countEvents(db: Db, filter: EventFilter = {}): number {
  const w = where(filter);
  return db.prepare(`SELECT count(*) FROM events e${w.sql}`).pluck().get(...w.args) as number;
}

/** The events with these auditIDs, in time order; unknown IDs are left out. */
export function getEventsByAuditIDs(db: Db, ids: readonly string[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  const stmt = db.prepare(`${SELECT} WHERE e.audit_id = ?`);
  for (const id of new Set(ids)) {
    const r = stmt.get(id) as StoredEventRow | undefined;
    if (r) out.push(fromStoredRow(r));
  }
  return out.sort((a, b) => a.timeUs - b.timeUs || (a.auditID < b.auditID ? -1 : a.auditID > b.auditID ? 1 : 0));
}

/** The original record text behind the event as kept (its most final stage), or null. */
export function getRawRecord(db: Db, auditID: string): string | null {
  return getRawRecords(db, [auditID]).get(auditID) ?? null;
}

export interface EventSource {
  evidenceId: number;
  path: string;
  line: number;
  record: number;
  stage: string;
}

/** Every place this request was read at (stages, and copies in other exports). */
export function getEventSources(db: Db, auditID: string): EventSource[] {
  return db
    .prepare(
      // The kept record's position is the row's origin; event_sources holds the others (migration 007).
      `SELECT e.origin_evidence AS evidenceId, v.path, e.origin_line AS line, e.origin_record AS record, e.stage FROM events e
       JOIN evidence v ON v.id = e.origin_evidence WHERE e.audit_id = ?
       UNION SELECT s.evidence_id, v.path, s.line, s.record, s.stage FROM events e
       JOIN event_sources s ON s.event_id = e.id JOIN evidence v ON v.id = s.evidence_id
       WHERE e.audit_id = ? ORDER BY 1, 3, 4`,
    )
    .all(auditID, auditID) as EventSource[];
}

interface StoredRaw {
  raw_offset: number | null;
  raw_length: number | null;
  /** null: no event_raw row (stored through the raw file, migration 006). */
  raw: string | null;
  file_offset?: number | null;
  file_length?: number | null;
}

/** Raw records for many events at once, keyed by auditID (export, `events --json`). */
export function getRawRecords(db: Db, ids: readonly string[]): Map<string, string> {
  // r.*: the file columns exist only from migration 005 on. An event stored through the raw file
  // since migration 006 has no event_raw row, only the reference on its events row.
  const stmt = db.prepare('SELECT e.raw_offset, e.raw_length, r.* FROM events e LEFT JOIN event_raw r ON r.event_id = e.id WHERE e.audit_id = ?');
  const out = new Map<string, string>();
  const path = rawFilePath(db);
  const file = path === null ? null : new RawReader(path);
  try {
    for (const id of ids) {
      const r = stmt.get(id) as StoredRaw | undefined;
      if (r === undefined) continue;
      // Texts are never empty, so a non-empty `raw` is the text, kept inline, and wins.
      if (r.raw !== null && r.raw !== '') out.set(id, r.raw);
      else if (file !== null && r.raw_offset !== null && r.raw_length !== null) out.set(id, file.read(r.raw_offset, r.raw_length));
      else if (file !== null && r.file_offset != null && r.file_length != null) out.set(id, file.read(r.file_offset, r.file_length));
      else if (r.raw !== null) out.set(id, r.raw);
    }
  } finally {
    file?.close();
  }
  return out;
}
