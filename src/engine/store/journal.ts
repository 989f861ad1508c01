import type { JournalAction } from '../../shared/contract.ts';
import type { Db } from './db.ts';

/**
 * Actions an analyst (or the tool on the analyst's behalf) takes on a case, as the contract names
 * them. 'case': the case's own fields (examiner, number…) changed; 'mark': an event was starred,
 * tagged or commented; 'ingest', 'sessions', 'train': the pipeline stages that change the case
 * (src/engine/case/stages.ts).
 */
export type { JournalAction };

export interface JournalEntry {
  id: number;
  /** RFC 3339, UTC. */
  at: string;
  actor: string | null;
  action: JournalAction;
  findingId: string | null;
  detail: Record<string, unknown>;
}

interface JournalRow {
  id: number;
  at: string;
  actor: string | null;
  action: JournalAction;
  finding_id: string | null;
  detail: string;
}

/** Append one entry; the table refuses updates and deletes (migration 021). */
export function appendJournal(
  db: Db,
  entry: { action: JournalAction; findingId?: string | null; actor?: string | null; detail?: Record<string, unknown>; at?: string },
): JournalEntry {
  const at = entry.at ?? new Date().toISOString();
  const detail = entry.detail ?? {};
  const info = db
    .prepare('insert into journal (at, actor, action, finding_id, detail) values (?, ?, ?, ?, ?)')
    .run(at, entry.actor ?? null, entry.action, entry.findingId ?? null, JSON.stringify(detail));
  return { id: Number(info.lastInsertRowid), at, actor: entry.actor ?? null, action: entry.action, findingId: entry.findingId ?? null, detail };
}

/** The journal in the order it was written, optionally for one finding. */
export function listJournal(db: Db, findingId?: string): JournalEntry[] {
  const rows = (
    findingId === undefined
      ? db.prepare('select * from journal order by id').all()
      : db.prepare('select * from journal where finding_id = ? order by id').all(findingId)
  ) as JournalRow[];
  return rows.map(toEntry);
}

const toEntry = (r: JournalRow): JournalEntry => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, findingId: r.finding_id, detail: JSON.parse(r.detail) as Record<string, unknown> });

/**
 * One page of the journal, newest first, optionally of some actions only: the case journal view.
 * Newest first by id, not by `at`: ids are the order of writing, and a note's `at` is its own
 * creation time, which an append does not reorder.
 */
export function pageJournal(db: Db, opts: { offset: number; limit: number; actions?: readonly string[] }): { rows: JournalEntry[]; total: number } {
  const actions = opts.actions && opts.actions.length > 0 ? opts.actions : null;
  const where = actions ? `where action in (${actions.map(() => '?').join(', ')})` : '';
  const args = actions ?? [];
  const total = (db.prepare(`select count(*) as n from journal ${where}`).get(...args) as { n: number }).n;
  const rows = db.prepare(`select * from journal ${where} order by id desc limit ? offset ?`).all(...args, opts.limit, opts.offset) as JournalRow[];
  return { rows: rows.map(toEntry), total };
}
