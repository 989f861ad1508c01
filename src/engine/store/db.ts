import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { migrations, type Migration } from './migrations/index.ts';
import { RAW_FILE } from './raw-file.ts';

export type Db = Database.Database;

/** The database file inside a case directory. */
export const CASE_DB = 'case.sqlite';

export interface OpenOptions {
  /** Open without writing: no migrations, no WAL change. */
  readonly?: boolean;
  /** Create the case directory when it does not exist. */
  create?: boolean;
}

/** Open (and migrate) the case database in `caseDir`. */
export function openCase(caseDir: string, options: OpenOptions = {}): Db {
  if (options.create) createPrivately(caseDir);
  const db = new Database(join(caseDir, CASE_DB), { readonly: options.readonly ?? false, fileMustExist: !options.create });
  if (!options.readonly) {
    // Takes effect only on a new, empty file. Event rows carry ~1-2 KB of JSON each; 16 KiB pages
    // cut B-tree and WAL overhead per row on ingest (measured ~20% less CPU per event than 4 KiB).
    db.pragma('page_size = 16384');
    // WAL: readers (the UI, `gumshoe info`) never block the ingest writer, and a killed writer
    // leaves the last committed transaction intact.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  }
  return db;
}

/**
 * A case holds what a cluster's API server logged: secrets in request bodies, user names, internal
 * addresses. Only its owner may read it: the directory is 0700, the database and the raw-record
 * file 0600, whatever the umask. Both files are made here, empty, so the mode is theirs from the
 * first byte: SQLite gives its -wal and -shm files the database file's mode, and the raw appender
 * opens its file for append, which keeps the mode it finds.
 */
function createPrivately(caseDir: string): void {
  const fresh = !existsSync(caseDir);
  mkdirSync(caseDir, { recursive: true, mode: 0o700 });
  // An existing directory the user chose keeps its mode (it may be shared: never chmod what we did not make).
  if (fresh) chmodSync(caseDir, 0o700);
  for (const name of [CASE_DB, RAW_FILE]) {
    const file = join(caseDir, name);
    if (existsSync(file)) continue;
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
}

/** Open an in-memory database with every migration applied (tests). */
export function openMemory(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Apply, in order and each in its own transaction, the migrations newer than the stored version. */
export function migrate(db: Db, list: readonly Migration[] = migrations, upTo = Infinity): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const sorted = [...list].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].version === sorted[i - 1].version) {
      throw new Error(`two migrations share version ${sorted[i].version}: ${sorted[i - 1].name}, ${sorted[i].name}`);
    }
  }
  let version = current;
  for (const m of sorted) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    version = m.version;
  }
  return version;
}
