import type { Migration } from './index.ts';

/**
 * Per-record errors. `path` is kept beside `evidence_id` because the reader can report an error
 * about something that never became an evidence item (an unsafe archive entry name, say).
 * The unique key makes a replayed error after a killed run a no-op.
 */
export const m003RecordErrors: Migration = {
  version: 3,
  name: 'record-errors',
  up(db) {
    db.exec(`
      CREATE TABLE record_errors (
        id          INTEGER PRIMARY KEY,
        evidence_id INTEGER REFERENCES evidence(id),
        path        TEXT NOT NULL,
        line        INTEGER NOT NULL,
        record      INTEGER NOT NULL,
        code        TEXT NOT NULL,
        reason      TEXT NOT NULL,
        excerpt     TEXT NOT NULL,
        UNIQUE (path, line, record, code)
      );
      CREATE INDEX record_errors_code ON record_errors(code);
    `);
  },
};
