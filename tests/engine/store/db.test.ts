import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import type { Migration } from '../../../src/engine/store/migrations/index.ts';

const m = (version: number, sql: string): Migration => ({ version, name: `m${version}`, up: (db) => db.exec(sql) });

describe('migrate', () => {
  it('applies newer migrations in order and records the version', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [m(2, 'create table b(x)'), m(1, 'create table a(x)')])).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    // Re-running applies nothing twice.
    expect(migrate(db, [m(1, 'create table a(x)'), m(2, 'create table b(x)'), m(3, 'create table c(x)')])).toBe(3);
  });

  it('rolls back a failing migration whole', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [m(1, 'create table a(x); create table a(y)')])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("select count(*) n from sqlite_master where name='a'").get()).toEqual({ n: 0 });
  });

  it('refuses duplicate versions', () => {
    expect(() => migrate(new Database(':memory:'), [m(1, ''), m(1, '')])).toThrow(/share version 1/);
  });
});
