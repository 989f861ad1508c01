import type { Db } from './db.ts';

export interface RecordErrorInput {
  evidenceId: number | null;
  path: string;
  line: number;
  record: number;
  code: string;
  reason: string;
  excerpt: string;
}

export interface StoredRecordError extends RecordErrorInput {
  id: number;
}

/** Store errors; one already stored at the same place with the same code (a replay) is ignored. Returns those that were new. */
export function insertRecordErrors(db: Db, errors: readonly RecordErrorInput[]): RecordErrorInput[] {
  const stmt = db.prepare(
    'INSERT OR IGNORE INTO record_errors (evidence_id, path, line, record, code, reason, excerpt) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const added: RecordErrorInput[] = [];
  db.transaction(() => {
    for (const e of errors) if (stmt.run(e.evidenceId, e.path, e.line, e.record, e.code, e.reason, e.excerpt).changes > 0) added.push(e);
  })();
  return added;
}

export interface ErrorFilter {
  code?: string;
  path?: string;
  limit?: number;
  offset?: number;
}

/** Errors in the order they were read (file, then line). */
export function listErrors(db: Db, filter: ErrorFilter = {}): StoredRecordError[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.code !== undefined) {
    where.push('code = ?');
    args.push(filter.code);
  }
  if (filter.path !== undefined) {
    where.push('path = ?');
    args.push(filter.path);
  }
  const sql = `SELECT id, evidence_id AS evidenceId, path, line, record, code, reason, excerpt FROM record_errors
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ? OFFSET ?`;
  args.push(filter.limit ?? -1, filter.offset ?? 0);
  return db.prepare(sql).all(...args) as StoredRecordError[];
}

/** Error counts per code, most frequent first. */
export function countErrorsByCode(db: Db): { code: string; count: number }[] {
  return db.prepare('SELECT code, count(*) AS count FROM record_errors GROUP BY code ORDER BY count DESC, code').all() as {
    code: string;
    count: number;
  }[];
}
