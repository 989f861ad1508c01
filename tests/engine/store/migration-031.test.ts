import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m031StoreSeals } from '../../../src/engine/store/migrations/031-store-seals.ts';

describe('migration 031 (store seals)', () => {
  it('creates an append-only table of contiguous, hashed segments', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [m031StoreSeals])).toBe(31);
    const ins = db.prepare("insert into store_seals (file, start_offset, end_offset, sha256, sealed_at) values ('raw-records.txt', ?, ?, ?, 't')");
    ins.run(0, 10, 'a'.repeat(64));
    expect(() => ins.run(10, 10, 'b'.repeat(64))).toThrow(/CHECK/);
    expect(() => ins.run(10, 20, 'short')).toThrow(/CHECK/);
    expect(() => ins.run(0, 20, 'c'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => db.prepare('update store_seals set sha256 = ?').run('d'.repeat(64))).toThrow(/append-only/);
    expect(() => db.prepare('delete from store_seals').run()).toThrow(/append-only/);
    expect(db.prepare('select count(*) n from store_seals').get()).toEqual({ n: 1 });
  });
});
