import type Database from 'better-sqlite3';
import type { AuditEvent } from '../../shared/domain.ts';
import type { Db } from './db.ts';
import { ROW_AUDIT_ID, ROW_CODE, ROW_FORMAT, ROW_LINE, ROW_ORIGIN, ROW_RECORD, ROW_STAGE, ROW_STAGES, ROW_TIME, ROW_URI, ROW_USER, ROW_VERB, stageRank, toEventTuple, type EventTuple } from './event-row.ts';

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
  /** Records whose auditID already named a different request: each stored as its own event (counted in `inserted`). */
  conflicts: AuditIdConflict[];
}

/** A record stored under a derived auditID because its own already named another request. */
export interface AuditIdConflict {
  auditID: string;
  /** `<auditID>#<n>`, what the record is stored under. */
  storedAs: string;
  evidenceId: number;
  line: number;
  record: number;
  /** Position of the kept record of the request that already held the auditID. */
  other: { evidenceId: number; line: number; record: number };
  /** What differs, for the notice: `verb "update" vs "list"`… */
  differs: string[];
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
      // The auditID itself and its derived `<auditID>#<n>` ids ('$' follows '#'), oldest first.
      existing: db.prepare(`SELECT id, audit_id, stage, stages, verb, user, request_uri, time_us, response_code, format,
        origin_evidence, origin_line, origin_record FROM events WHERE audit_id = ? OR (audit_id > ? AND audit_id < ?) ORDER BY id`),
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
  audit_id: string;
  stage: string;
  stages: string;
  verb: string;
  user: string;
  request_uri: string;
  time_us: number;
  response_code: number | null;
  format: string;
  origin_evidence: number;
  origin_line: number;
  origin_record: number;
}

/**
 * How a record differs from a stored event under the same auditID, beyond what the stages of one
 * request differ by; empty when it is the same request (another stage, or a copy). Stages of one
 * request share verb, user and URI; records of the same stage also share the receive time and
 * the response code. Another export's format may spell verb and URI differently (GKE rebuilds
 * the URI without its query), so across formats only the user is compared.
 */
function requestDifferences(row: EventTuple, old: Existing): string[] {
  const d: string[] = [];
  const cmp = (name: string, a: unknown, b: unknown): void => {
    if (a !== b) d.push(`${name} ${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
  };
  cmp('user', row[ROW_USER], old.user);
  if (row[ROW_FORMAT] !== old.format) return d;
  cmp('verb', row[ROW_VERB], old.verb);
  cmp('requestURI', row[ROW_URI], old.request_uri);
  if (row[ROW_STAGE] === old.stage) {
    // 0 is "no time" (a copy that lost it), not a different time.
    if (row[ROW_TIME] !== 0 && old.time_us !== 0) cmp('time', row[ROW_TIME], old.time_us);
    if (row[ROW_CODE] !== null && old.response_code !== null) cmp('responseCode', row[ROW_CODE], old.response_code);
  }
  return d;
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
export function insertEventRows(db: Db, rows: EventTuple[], raws: string[], options: WriteOptions = {}): WriteResult {
  const s = statements(db);
  const fresh = options.freshEvidence;
  const refs = options.rawRefs;
  const result: WriteResult = { inserted: 0, duplicates: 0, replayed: 0, conflicts: [] };
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
      const id = row[ROW_AUDIT_ID];
      const candidates = s.existing.all(id, `${id}#`, `${id}$`) as Existing[];
      let old: Existing | undefined;
      let differs: string[] = [];
      for (const c of candidates) {
        const d = requestDifferences(row, c);
        if (d.length === 0) {
          old = c;
          break;
        }
        if (c.audit_id === id) differs = d;
      }
      if (old === undefined) {
        // A different request under a used auditID (reused ids in test corpora, a tampered log):
        // its own event, never merged into the first one.
        const first = candidates.find((c) => c.audit_id === id) ?? candidates[0];
        const derived = row.slice() as EventTuple;
        let n = candidates.length + 1;
        for (;;) {
          derived[ROW_AUDIT_ID] = `${id}#${n}`;
          const info = refs ? s.insertWithRef.run(derived, refs[2 * i], refs[2 * i + 1]) : s.insert.run(derived);
          if (info.changes === 1) {
            if (!refs) s.insertRaw.run(info.lastInsertRowid, raws[i]);
            break;
          }
          n++;
        }
        result.inserted++;
        result.conflicts.push({
          auditID: id,
          storedAs: derived[ROW_AUDIT_ID],
          evidenceId,
          line,
          record,
          other: { evidenceId: first.origin_evidence, line: first.origin_line, record: first.origin_record },
          differs,
        });
        continue;
      }
      const stages = unionStages(old.stages, row[ROW_STAGES]);
      if (stageRank(row[ROW_STAGE]) > stageRank(old.stage)) {
        const merged = row.slice() as EventTuple;
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
  return insertEventRows(db, events.map((e) => toEventTuple(e)), raws, options);
}
