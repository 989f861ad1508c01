import type { Db } from './db.ts';
import { appendJournal } from './journal.ts';
import type { EventMark } from '../../shared/contract.ts';

/** An analyst's mark on one event (starred, tagged, commented): the contract's type. */
export type { EventMark };

export interface MarkChange {
  starred?: boolean;
  /** The whole tag list after the change (not a delta): what the UI's tag editor holds. */
  tags?: string[];
  /** null or blank clears the comment. */
  comment?: string | null;
}

export interface MarkFilter {
  starred?: boolean;
  /** Marks carrying this tag (exact, case-insensitive). */
  tag?: string;
  /** Only these events (an entity page's or an incident's). */
  auditIDs?: readonly string[];
}

/**
 * Tags are short labels ("c2", "lateral-movement"), not prose: 64 characters holds any ATT&CK
 * name, and 32 tags on one event is already past what a table cell shows.
 */
export const MAX_TAG_LENGTH = 64;
export const MAX_TAGS = 32;

interface MarkTuple {
  audit_id: string;
  starred: number;
  tags: string;
  comment: string | null;
  author: string | null;
  updated_at: string;
}

const fromTuple = (r: MarkTuple): EventMark => ({
  auditID: r.audit_id,
  starred: r.starred === 1,
  tags: JSON.parse(r.tags) as string[],
  comment: r.comment,
  author: r.author,
  updatedAt: r.updated_at,
});

/** Trimmed, de-duplicated (case-insensitively, first spelling kept), sorted tags. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const t of tags) {
    const v = t.trim();
    if (!v) continue;
    if (v.length > MAX_TAG_LENGTH) throw new Error(`tag longer than ${MAX_TAG_LENGTH} characters: ${v.slice(0, 20)}…`);
    if (!seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  }
  if (seen.size > MAX_TAGS) throw new Error(`at most ${MAX_TAGS} tags on one event`);
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

export function getMark(db: Db, auditID: string): EventMark | null {
  const r = db.prepare('select * from event_marks where audit_id = ?').get(auditID) as MarkTuple | undefined;
  return r ? fromTuple(r) : null;
}

/**
 * Marks, newest change first. A case holds a few hundred marks at most (they are made by hand),
 * so the tag and id filters run in memory.
 */
export function listMarks(db: Db, filter: MarkFilter = {}): EventMark[] {
  const rows = (
    filter.starred === undefined
      ? db.prepare('select * from event_marks order by updated_at desc, audit_id').all()
      : db.prepare('select * from event_marks where starred = ? order by updated_at desc, audit_id').all(filter.starred ? 1 : 0)
  ) as MarkTuple[];
  let out = rows.map(fromTuple);
  if (filter.tag) {
    const t = filter.tag.toLowerCase();
    out = out.filter((m) => m.tags.some((x) => x.toLowerCase() === t));
  }
  if (filter.auditIDs) {
    const ids = new Set(filter.auditIDs);
    out = out.filter((m) => ids.has(m.auditID));
  }
  return out;
}

/**
 * Apply a change to an event's mark, journal it with the author as actor, and return the mark
 * after it; null when the change leaves nothing (not starred, no tag, no comment): an empty mark
 * is removed rather than kept as a row that says nothing.
 */
export function setMark(db: Db, auditID: string, change: MarkChange, author: string | null): EventMark | null {
  return db.transaction(() => {
    const before = getMark(db, auditID);
    const starred = change.starred ?? before?.starred ?? false;
    const tags = change.tags === undefined ? (before?.tags ?? []) : normalizeTags(change.tags);
    const comment = change.comment === undefined ? (before?.comment ?? null) : change.comment === null || change.comment.trim() === '' ? null : change.comment;
    const at = new Date().toISOString();
    const detail: Record<string, unknown> = { auditID };
    if (change.starred !== undefined) detail.starred = starred;
    if (change.tags !== undefined) detail.tags = tags;
    if (change.comment !== undefined) detail.comment = comment;
    appendJournal(db, { action: 'mark', actor: author, at, detail });
    if (!starred && tags.length === 0 && comment === null) {
      db.prepare('delete from event_marks where audit_id = ?').run(auditID);
      return null;
    }
    db.prepare(
      `insert into event_marks (audit_id, starred, tags, comment, author, updated_at) values (?, ?, ?, ?, ?, ?)
       on conflict(audit_id) do update set starred = excluded.starred, tags = excluded.tags, comment = excluded.comment,
         author = excluded.author, updated_at = excluded.updated_at`,
    ).run(auditID, starred ? 1 : 0, JSON.stringify(tags), comment, author, at);
    return { auditID, starred, tags, comment, author, updatedAt: at };
  })();
}

/** Every tag in use with how many events carry it, most used first (the UI's tag picker). */
export function tagCounts(db: Db): { tag: string; events: number }[] {
  return db
    .prepare('select value tag, count(*) events from event_marks, json_each(event_marks.tags) group by value order by events desc, value')
    .all() as { tag: string; events: number }[];
}
