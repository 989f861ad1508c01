import type { Migration } from './index.ts';

/**
 * Original record text may live outside SQLite, in the case directory's append-only raw file
 * (store/raw-file.ts), at `file_offset` for `file_length` bytes; `raw` is then ''. Half of a
 * case's bytes are raw text, and keeping them out of the WAL (written once there, once more at
 * each checkpoint) takes ~13% off the writer thread's CPU per MB ingested (docs/ingest.md).
 * Rows written before this version, and rows of in-memory databases, keep their text in `raw`.
 */
export const m005EventRawFile: Migration = {
  version: 5,
  name: 'event-raw-file',
  up(db) {
    db.exec(`
      ALTER TABLE event_raw ADD COLUMN file_offset INTEGER;
      ALTER TABLE event_raw ADD COLUMN file_length INTEGER;
    `);
  },
};
