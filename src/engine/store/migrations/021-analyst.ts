import type { Migration } from './index.ts';

/**
 * Analyst state lives apart from findings, keyed by finding id, so that re-running the hunt (which
 * replaces the findings) keeps the triage states and notes of findings that come back with the same
 * id. The journal is append-only: it is the record of who did what to the case and when.
 */
export const m021Analyst: Migration = {
  version: 21,
  name: 'analyst-triage-notes-journal',
  up(db) {
    db.exec(`
      create table triage (
        finding_id text primary key,
        state text not null check (state in ('new', 'investigating', 'malicious', 'benign_true_positive', 'false_positive')),
        updated_at text not null
      );
      create table notes (
        id integer primary key,
        finding_id text not null,
        text text not null,
        author text,
        created_at text not null
      );
      create index notes_finding on notes(finding_id);
      create table journal (
        id integer primary key,
        at text not null,
        actor text,
        action text not null,
        finding_id text,
        detail text not null default '{}'
      );
      create trigger journal_append_only_update before update on journal
        begin select raise(abort, 'journal is append-only'); end;
      create trigger journal_append_only_delete before delete on journal
        begin select raise(abort, 'journal is append-only'); end;
    `);
  },
};
