import type { Db } from './db.ts';
import type { StoredRecordError } from './record-errors.ts';

/** One record error by id (the UI's "show me that line"). */
export function getRecordError(db: Db, id: number): StoredRecordError | null {
  const r = db.prepare('SELECT id, evidence_id AS evidenceId, path, line, record, code, reason, excerpt FROM record_errors WHERE id = ?').get(id) as StoredRecordError | undefined;
  return r ?? null;
}

/** A page of one evidence item's record errors, with their total. */
export function errorsForEvidence(db: Db, evidenceId: number | undefined, offset: number, limit: number): { rows: StoredRecordError[]; total: number } {
  const w = evidenceId === undefined ? '' : ' WHERE evidence_id = ?';
  const args = evidenceId === undefined ? [] : [evidenceId];
  const total = db.prepare(`SELECT count(*) FROM record_errors${w}`).pluck().get(...args) as number;
  const rows = db
    .prepare(`SELECT id, evidence_id AS evidenceId, path, line, record, code, reason, excerpt FROM record_errors${w} ORDER BY id LIMIT ? OFFSET ?`)
    .all(...args, limit, offset) as StoredRecordError[];
  return { rows, total };
}
