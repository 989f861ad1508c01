import type { Migration } from './index.ts';

/**
 * Digests of the case store's own raw-record file (store/raw-file.ts), so `verify` can tell when
 * raw-records.txt was edited after ingest. The file is append-only, so each finished ingest seals
 * the bytes appended since the last seal, [start_offset, end_offset), with their SHA-256: a chain
 * of contiguous segments from offset 0 that costs one pass over only the new bytes per ingest.
 * The database itself cannot be digested this way (SQLite rewrites its pages in place).
 * Rows are append-only like the journal: a seal is a record of what the store held, and when.
 */
export const m031StoreSeals: Migration = {
  version: 31,
  name: 'store-seals',
  up(db) {
    db.exec(`
      create table store_seals (
        id integer primary key,
        file text not null,
        start_offset integer not null check (start_offset >= 0),
        end_offset integer not null check (end_offset > start_offset),
        sha256 text not null check (length(sha256) = 64),
        sealed_at text not null,
        run_id integer
      );
      create unique index store_seals_file_start on store_seals(file, start_offset);
      create trigger store_seals_append_only_update before update on store_seals
        begin select raise(abort, 'store_seals is append-only'); end;
      create trigger store_seals_append_only_delete before delete on store_seals
        begin select raise(abort, 'store_seals is append-only'); end;
    `);
  },
};
