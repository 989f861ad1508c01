import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m032Search } from '../../../src/engine/store/migrations/032-search.ts';

describe('migration 032 (search and entity index)', () => {
  it('creates the index tables, a contentless FTS5 table and saved searches', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [m032Search])).toBe(32);
    db.prepare("insert into search_fts (rowid, doc) values (7, '/api/v1/namespaces/web/pods/debug-94pmq/exec?command=chroot')").run();
    expect(db.prepare("select rowid from search_fts where search_fts match 'chroot'").pluck().all()).toEqual([7]);
    expect(db.prepare("select rowid from search_fts where search_fts match '\"debug-94\"*'").pluck().all()).toEqual([7]);
    db.prepare("insert into entity_stats values ('user', 'alice', 1, 5, 5)").run();
    expect(() => db.prepare("insert into entity_stats values ('user', 'alice', 1, 5, 5)").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("insert into search_state values (2, 0)").run()).toThrow(/CHECK/);
    db.prepare("insert into saved_searches (name, query, created_at) values ('x', '{}', 't')").run();
  });
});
