import type { Migration } from './index.ts';

/**
 * What a report a lead signs needs about the case itself (who examined it, for whom, under which
 * case number and scope, and the analyst's own summary and conclusions), and the analyst's marks
 * on single events (star, tags, a comment).
 *
 * case_meta holds one row (id = 1): a case has one examiner and one number, and a row with a
 * check keeps a second from appearing. Marks are keyed by auditID, not by an events rowid, so they
 * survive re-ingesting the evidence; they are analyst state, like triage, and are never rebuilt.
 * A mark records who set it last and when; the store also journals every change (append-only), so
 * the history of who marked what survives the mark being updated in place.
 */
export const m030CaseMetaMarks: Migration = {
  version: 30,
  name: 'case-meta-and-event-marks',
  up(db) {
    db.exec(`
      create table case_meta (
        id integer primary key check (id = 1),
        examiner text,
        case_number text,
        requester text,
        scope text,
        summary text,
        conclusions text,
        updated_at text not null
      );
      create table event_marks (
        audit_id text primary key,
        starred integer not null default 0 check (starred in (0, 1)),
        tags text not null default '[]',
        comment text,
        author text,
        updated_at text not null
      );
      create index event_marks_starred on event_marks(starred) where starred = 1;
    `);
  },
};
