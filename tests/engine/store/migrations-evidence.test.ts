import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m001Evidence } from '../../../src/engine/store/migrations/001-evidence.ts';
import { m002Events } from '../../../src/engine/store/migrations/002-events.ts';
import { m003RecordErrors } from '../../../src/engine/store/migrations/003-record-errors.ts';
import { EVENT_INDEXES, m004EventIndexes } from '../../../src/engine/store/migrations/004-event-indexes.ts';

const upTo = (v: number) => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [m001Evidence, m002Events, m003RecordErrors, m004EventIndexes], v);
  return db;
};
const names = (db: Database.Database, type: string) =>
  (db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').pluck().all(type) as string[]).filter((n) => !n.startsWith('sqlite_'));

describe('migration 001 evidence', () => {
  it('creates evidence and ingest_runs, with a unique path and a status check', () => {
    const db = upTo(1);
    expect(names(db, 'table')).toEqual(['evidence', 'ingest_runs']);
    const add = db.prepare("INSERT INTO evidence (path, container, status, acquired_at) VALUES (?, 'file', ?, '2026-01-01T00:00:00Z')");
    add.run('/a', 'reading');
    expect(() => add.run('/a', 'reading')).toThrow(/UNIQUE/);
    expect(() => add.run('/b', 'half-read')).toThrow(/CHECK/);
  });
});

describe('migration 002 events', () => {
  it('keys events by auditID and sources by position', () => {
    const db = upTo(2);
    expect(names(db, 'table')).toEqual(['event_raw', 'event_sources', 'events', 'evidence', 'ingest_runs']);
    db.prepare("INSERT INTO evidence (path, container, status, acquired_at) VALUES ('/a', 'file', 'reading', 'now')").run();
    const ev = db.prepare(`INSERT INTO events (audit_id, time_us, stage, stages, level, verb, user, groups, impersonated_groups, source_ips,
      request_uri, annotations, format, missing, origin_evidence, origin_line, origin_record)
      VALUES (?, 1, 'ResponseComplete', '[]', 'Metadata', 'get', 'u', '[]', '[]', '[]', '/', '{}', 'raw', '[]', ?, 1, 0)`);
    ev.run('x', 1);
    expect(() => ev.run('x', 1)).toThrow(/UNIQUE/);
    // An event must come from evidence the case knows.
    expect(() => ev.run('y', 99)).toThrow(/FOREIGN KEY/);
    const src = db.prepare("INSERT INTO event_sources (evidence_id, line, record, event_id, stage) VALUES (1, 1, 0, 1, 'ResponseComplete')");
    src.run();
    expect(() => src.run()).toThrow(/UNIQUE|PRIMARY/);
  });
});

describe('migration 003 record errors', () => {
  it('stores one error per place and code', () => {
    const db = upTo(3);
    const add = db.prepare("INSERT OR IGNORE INTO record_errors (evidence_id, path, line, record, code, reason, excerpt) VALUES (NULL, '/a', 3, 2, ?, 'r', 'x')");
    expect(add.run('json').changes).toBe(1);
    expect(add.run('json').changes).toBe(0);
    expect(add.run('utf8').changes).toBe(1);
  });
});

describe('migration 004 event indexes', () => {
  it('creates every pivot index', () => {
    const before = names(upTo(3), 'index');
    const after = names(upTo(4), 'index');
    expect(after.filter((n) => !before.includes(n)).sort()).toEqual(EVENT_INDEXES.map((i) => i.name).sort());
  });
  it('serves a time-range pivot from an index', () => {
    const plan = upTo(4).prepare('EXPLAIN QUERY PLAN SELECT * FROM events WHERE user = ? AND time_us >= ?').all('u', 0) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX events_user/);
  });
});
