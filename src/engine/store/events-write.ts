import type Database from 'better-sqlite3';
import type { AuditEvent } from '../../shared/domain.ts';
import type { Db } from './db.ts';
import { ROW_AUDIT_ID, ROW_LINE, ROW_ORIGIN, ROW_RECORD, ROW_STAGE, ROW_STAGES, stageRank, toEventRow, type EventRow } from './event-row.ts';

const COLUMNS = [
  'audit_id', 'time_us', 'stage_time_us', 'stage', 'stages', 'level', 'verb', 'user', 'groups', 'uid',
  'impersonated_user', 'impersonated_groups', 'source_ip', 'source_ips', 'user_agent', 'resource', 'subresource',
  'namespace', 'name', 'api_group', 'api_version', 'request_uri', 'response_code', 'decision', 'reason',
  'annotations', 'request_object', 'response_object', 'format', 'provider', 'cluster', 'missing',
  'origin_evidence', 'origin_line', 'origin_record',
] as const;

export interface WriteResult {
  /** Events new to the case. */
  inserted: number;
  /** Records whose auditID the case already held (another stage, or the same request from another export). */
  duplicates: number;
  /** Records already stored at the same position (a replay after a killed run): nothing written. */
  replayed: number;
}

export interface WriteOptions {
  /**
   * Evidence ids first created in this run: their positions cannot have been stored before, so the
   * replay lookup is skipped for them (it is the one extra B-tree probe per row).
   */
  freshEvidence?: ReadonlySet<number>;
  /**
   * Where each row's raw text already sits in the case's raw file (store/raw-file.ts), as
   * [offset, length] pairs in row order; `raws` is then not read. The caller makes the file durable
   * before committing.
   */
  rawRefs?: ArrayLike<number>;
}

type Stmt = Database.Statement<unknown[], unknown>;

interface Statements {
  insert: Stmt;
  insertRaw: Stmt;
  insertWithRef: Stmt;
  insertSource: Stmt;
  hasSource: Stmt;
  existing: Stmt;
  replace: Stmt;
  replaceRaw: Stmt;
  replaceWithRef: Stmt;
  dropRaw: Stmt;
  setStages: Stmt;
}

const cache = new WeakMap<Db, Statements>();

// Prepared on first use: a database not yet at migration 006 has no reference columns, and only the
// ingest job (which checks) ever asks for them.
function lazy(db: Db, sql: string): Stmt {
  let stmt: Stmt | null = null;
  const get = (): Stmt => (stmt ??= db.prepare(sql));
  return { run: (...args: unknown[]) => get().run(...args) } as Stmt;
}

function statements(db: Db): Statements {
  let s = cache.get(db);
  if (!s) {
    const marks = COLUMNS.map(() => '?').join(', ');
    s = {
      insert: db.prepare(`INSERT INTO events (${COLUMNS.join(', ')}) VALUES (${marks}) ON CONFLICT(audit_id) DO NOTHING`),
      insertRaw: db.prepare('INSERT INTO event_raw (event_id, raw) VALUES (?, ?)'),
      insertWithRef: lazy(db, `INSERT INTO events (${COLUMNS.join(', ')}, raw_offset, raw_length) VALUES (${marks}, ?, ?) ON CONFLICT(audit_id) DO NOTHING`),
      insertSource: db.prepare('INSERT OR IGNORE INTO event_sources (evidence_id, line, record, event_id, stage) VALUES (?, ?, ?, ?, ?)'),
      // A position is the kept record's origin or one of event_sources' further ones (migration 007).
      hasSource: db.prepare(`SELECT 1 FROM events WHERE origin_evidence = ? AND origin_line = ? AND origin_record = ?
        UNION ALL SELECT 1 FROM event_sources WHERE evidence_id = ? AND line = ? AND record = ?`).pluck(),
      existing: db.prepare('SELECT id, stage, stages, origin_evidence, origin_line, origin_record FROM events WHERE audit_id = ?'),
      replace: db.prepare(`UPDATE events SET (${COLUMNS.join(', ')}) = (${marks}) WHERE id = ?`),
      // A text in `raw` wins over a file reference (events-read), so this needs no reference columns;
      // an upsert, since a row stored through the raw file has no event_raw row.
      replaceRaw: db.prepare('INSERT INTO event_raw (event_id, raw) VALUES (?, ?) ON CONFLICT(event_id) DO UPDATE SET raw = excluded.raw'),
      replaceWithRef: lazy(db, `UPDATE events SET (${COLUMNS.join(', ')}, raw_offset, raw_length) = (${marks}, ?, ?) WHERE id = ?`),
      // An inline text would win over the new reference.
      dropRaw: db.prepare('DELETE FROM event_raw WHERE event_id = ?'),
      setStages: db.prepare('UPDATE events SET stages = ? WHERE id = ?'),
    };
    cache.set(db, s);
  }
  return s;
}

interface Existing {
  id: number;
  stage: string;
  stages: string;
  origin_evidence: number;
  origin_line: number;
  origin_record: number;
}

function unionStages(stored: string, incoming: string): string | null {
  const have = JSON.parse(stored) as string[];
  let changed = false;
  for (const st of JSON.parse(incoming) as string[]) {
    if (!have.includes(st)) {
      have.push(st);
      changed = true;
    }
  }
  return changed ? JSON.stringify(have) : null;
}

/**
 * Write rows (origin already an evidence id) in one transaction, deduplicating by auditID: the
 * most final stage's record is kept whole, the stages are unioned, and every position the request
 * was read at is recorded: the kept record's as the row's origin, the others in event_sources.
 */
export function insertEventRows(db: Db, rows: EventRow[], raws: string[], options: WriteOptions = {}): WriteResult {
  const s = statements(db);
  const fresh = options.freshEvidence;
  const refs = options.rawRefs;
  const result: WriteResult = { inserted: 0, duplicates: 0, replayed: 0 };
  db.transaction(() => {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const evidenceId = row[ROW_ORIGIN];
      const line = row[ROW_LINE];
      const record = row[ROW_RECORD];
      if (!fresh?.has(evidenceId) && s.hasSource.get(evidenceId, line, record, evidenceId, line, record) !== undefined) {
        result.replayed++;
        continue;
      }
      const info = refs ? s.insertWithRef.run(row, refs[2 * i], refs[2 * i + 1]) : s.insert.run(row);
      if (info.changes === 1) {
        const id = info.lastInsertRowid;
        if (!refs) s.insertRaw.run(id, raws[i]);
        result.inserted++;
        continue;
      }
      const old = s.existing.get(row[ROW_AUDIT_ID]) as Existing;
      const stages = unionStages(old.stages, row[ROW_STAGES]);
      if (stageRank(row[ROW_STAGE]) > stageRank(old.stage)) {
        const merged = row.slice() as EventRow;
        merged[ROW_STAGES] = stages ?? old.stages;
        if (refs) {
          s.replaceWithRef.run(merged, refs[2 * i], refs[2 * i + 1], old.id);
          s.dropRaw.run(old.id);
        } else {
          s.replace.run(merged, old.id);
          s.replaceRaw.run(old.id, raws[i]);
        }
        // The new record's position is now the row's origin; the one it displaced becomes a further one.
        s.insertSource.run(old.origin_evidence, old.origin_line, old.origin_record, old.id, old.stage);
        result.duplicates++;
        continue;
      } else if (stages !== null) {
        s.setStages.run(stages, old.id);
      }
      s.insertSource.run(evidenceId, line, record, old.id, row[ROW_STAGE]);
      result.duplicates++;
    }
  })();
  return result;
}

/** Write normalized events (origin.evidenceId must name a stored evidence item). */
export function insertEventBatch(db: Db, events: AuditEvent[], raws: string[], options: WriteOptions = {}): WriteResult {
  return insertEventRows(db, events.map((e) => toEventRow(e)), raws, options);
}
