import type { SourceFormat } from '../../shared/domain.ts';
import type { Db } from './db.ts';

export type EvidenceStatus = 'reading' | 'done';

export interface EvidenceRecord {
  id: number;
  path: string;
  /** Path of the containing item, null for a top-level file. */
  parent: string | null;
  container: string;
  sha256: string | null;
  size: number | null;
  formats: SourceFormat[];
  events: number;
  errors: number;
  status: EvidenceStatus;
  acquiredAt: string;
}

interface EvidenceRow {
  id: number;
  path: string;
  parent_path: string | null;
  container: string;
  sha256: string | null;
  size: number | null;
  formats: string;
  events: number;
  errors: number;
  status: EvidenceStatus;
  acquired_at: string;
}

const SELECT = `SELECT e.id, e.path, p.path AS parent_path, e.container, e.sha256, e.size, e.formats, e.events, e.errors,
  e.status, e.acquired_at FROM evidence e LEFT JOIN evidence p ON p.id = e.parent`;

const toRecord = (r: EvidenceRow): EvidenceRecord => ({
  id: r.id,
  path: r.path,
  parent: r.parent_path,
  container: r.container,
  sha256: r.sha256,
  size: r.size,
  formats: JSON.parse(r.formats) as SourceFormat[],
  events: r.events,
  errors: r.errors,
  status: r.status,
  acquiredAt: r.acquired_at,
});

/** Every evidence item, containers before their members (acquisition order). */
export function listEvidence(db: Db): EvidenceRecord[] {
  return (db.prepare(`${SELECT} ORDER BY e.id`).all() as EvidenceRow[]).map(toRecord);
}

export function getEvidenceByPath(db: Db, path: string): EvidenceRecord | null {
  const r = db.prepare(`${SELECT} WHERE e.path = ?`).get(path) as EvidenceRow | undefined;
  return r ? toRecord(r) : null;
}

export interface EvidenceStartInput {
  path: string;
  parent: string | null;
  container: string;
  size: number | null;
}

/**
 * Record that an item is being read. An item already known (a resumed run) keeps its id and
 * acquisition time; `created` says whether this call made it, which is what lets the writer skip
 * replay checks for it.
 */
export function beginEvidence(db: Db, item: EvidenceStartInput, now = new Date()): { id: number; created: boolean } {
  const known = db.prepare('SELECT id FROM evidence WHERE path = ?').pluck().get(item.path) as number | undefined;
  if (known !== undefined) {
    db.prepare("UPDATE evidence SET status = 'reading' WHERE id = ? AND status <> 'done'").run(known);
    return { id: known, created: false };
  }
  const parentId = item.parent === null ? null : ((db.prepare('SELECT id FROM evidence WHERE path = ?').pluck().get(item.parent) as number | undefined) ?? null);
  const info = db
    .prepare("INSERT INTO evidence (path, parent, container, size, status, acquired_at) VALUES (?, ?, ?, ?, 'reading', ?)")
    .run(item.path, parentId, item.container, item.size, now.toISOString());
  return { id: Number(info.lastInsertRowid), created: true };
}

export interface EvidenceEndInput {
  sha256: string;
  size: number;
  formats: SourceFormat[];
  events: number;
  errors: number;
}

/** Mark an item complete: only called once every one of its rows is committed. */
export function finishEvidence(db: Db, id: number, end: EvidenceEndInput): void {
  db.prepare("UPDATE evidence SET sha256 = ?, size = ?, formats = ?, events = ?, errors = ?, status = 'done' WHERE id = ?").run(
    end.sha256,
    end.size,
    JSON.stringify(end.formats),
    end.events,
    end.errors,
    id,
  );
}
