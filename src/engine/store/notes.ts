import type { TriageState } from '../../shared/domain.ts';
import type { Db } from './db.ts';
import { appendJournal } from './journal.ts';

export const TRIAGE_STATES: readonly TriageState[] = ['new', 'investigating', 'malicious', 'benign_true_positive', 'false_positive'];

export interface Note {
  id: number;
  findingId: string;
  text: string;
  author: string | null;
  createdAt: string;
}

/** Add a note to a finding and journal it, in one transaction so neither exists without the other. */
export function addNote(db: Db, findingId: string, text: string, author: string | null = null): Note {
  return db.transaction(() => {
    const createdAt = new Date().toISOString();
    const info = db.prepare('insert into notes (finding_id, text, author, created_at) values (?, ?, ?, ?)').run(findingId, text, author, createdAt);
    const id = Number(info.lastInsertRowid);
    appendJournal(db, { action: 'note', findingId, actor: author, at: createdAt, detail: { noteId: id, text } });
    return { id, findingId, text, author, createdAt };
  })();
}

export function listNotes(db: Db, findingId?: string): Note[] {
  const sql = 'select id, finding_id findingId, text, author, created_at createdAt from notes';
  return (findingId === undefined ? db.prepare(`${sql} order by id`).all() : db.prepare(`${sql} where finding_id = ? order by id`).all(findingId)) as Note[];
}

/** Set a finding's triage state; journals the change with the state it replaced. */
export function setTriage(db: Db, findingId: string, state: TriageState, author: string | null = null): { from: TriageState; to: TriageState; at: string } {
  if (!TRIAGE_STATES.includes(state)) throw new Error(`unknown triage state: ${state}`);
  return db.transaction(() => {
    const at = new Date().toISOString();
    const from = getTriage(db, findingId);
    db.prepare(
      'insert into triage (finding_id, state, updated_at) values (?, ?, ?) on conflict(finding_id) do update set state = excluded.state, updated_at = excluded.updated_at',
    ).run(findingId, state, at);
    appendJournal(db, { action: 'triage', findingId, actor: author, at, detail: { from, to: state } });
    return { from, to: state, at };
  })();
}

/** A finding nobody has triaged is 'new'. */
export function getTriage(db: Db, findingId: string): TriageState {
  const row = db.prepare('select state from triage where finding_id = ?').get(findingId) as { state: TriageState } | undefined;
  return row?.state ?? 'new';
}
