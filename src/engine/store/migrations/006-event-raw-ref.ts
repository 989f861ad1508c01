import type { Migration } from './index.ts';

/**
 * Where an event's raw text sits in the case's raw file moves onto the `events` row itself
 * (`raw_offset`, `raw_length`), so that an ingest through the raw file writes no `event_raw` row at
 * all: one B-tree insert and one statement per event less on the writer thread, which bounds the
 * load (docs/ingest.md). `event_raw` stays for texts kept inline (in-memory databases, cases
 * written before this version); a non-empty text there still wins over any reference.
 */
export const m006EventRawRef: Migration = {
  version: 6,
  name: 'event-raw-ref',
  up(db) {
    db.exec(`
      ALTER TABLE events ADD COLUMN raw_offset INTEGER;
      ALTER TABLE events ADD COLUMN raw_length INTEGER;
    `);
  },
};
