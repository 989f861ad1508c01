import type { Migration } from './index.ts';

/**
 * Evidence items (files and archive members) and ingest runs. `status` is what makes a killed
 * ingest resumable: an item stays 'reading' until every one of its events is committed.
 */
export const m001Evidence: Migration = {
  version: 1,
  name: 'evidence',
  up(db) {
    db.exec(`
      CREATE TABLE evidence (
        id          INTEGER PRIMARY KEY,
        path        TEXT NOT NULL UNIQUE,
        parent      INTEGER REFERENCES evidence(id),
        container   TEXT NOT NULL,
        sha256      TEXT,
        size        INTEGER,
        formats     TEXT NOT NULL DEFAULT '[]',
        events      INTEGER NOT NULL DEFAULT 0,
        errors      INTEGER NOT NULL DEFAULT 0,
        status      TEXT NOT NULL CHECK (status IN ('reading', 'done')),
        acquired_at TEXT NOT NULL
      );
      CREATE INDEX evidence_parent ON evidence(parent);

      CREATE TABLE ingest_runs (
        id          INTEGER PRIMARY KEY,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        paths       TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        events      INTEGER NOT NULL DEFAULT 0,
        duplicates  INTEGER NOT NULL DEFAULT 0,
        errors      INTEGER NOT NULL DEFAULT 0,
        skipped     INTEGER NOT NULL DEFAULT 0
      );
    `);
  },
};
