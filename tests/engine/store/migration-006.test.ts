import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m001Evidence } from '../../../src/engine/store/migrations/001-evidence.ts';
import { m002Events } from '../../../src/engine/store/migrations/002-events.ts';
import { m003RecordErrors } from '../../../src/engine/store/migrations/003-record-errors.ts';
import { m004EventIndexes } from '../../../src/engine/store/migrations/004-event-indexes.ts';
import { m005EventRawFile } from '../../../src/engine/store/migrations/005-event-raw-file.ts';
import { m006EventRawRef } from '../../../src/engine/store/migrations/006-event-raw-ref.ts';
import { getRawRecord } from '../../../src/engine/store/events-read.ts';

const list = [m001Evidence, m002Events, m003RecordErrors, m004EventIndexes, m005EventRawFile, m006EventRawRef];
const columns = (db: Database.Database): string[] => db.prepare("SELECT name FROM pragma_table_info('events')").pluck().all() as string[];

describe('migration 006 event raw reference', () => {
  it('adds nullable raw file references to events and keeps inline texts written before it readable', () => {
    const db = new Database(':memory:');
    migrate(db, list, 5);
    expect(columns(db)).not.toContain('raw_offset');
    db.prepare("INSERT INTO evidence (path, container, status, acquired_at) VALUES ('/a', 'file', 'reading', 'now')").run();
    db.prepare(`INSERT INTO events (audit_id, time_us, stage, stages, level, verb, user, groups, impersonated_groups, source_ips,
      request_uri, annotations, format, missing, origin_evidence, origin_line, origin_record)
      VALUES ('x', 1, 'ResponseComplete', '[]', 'Metadata', 'get', 'u', '[]', '[]', '[]', '/', '{}', 'raw', '[]', 1, 1, 0)`).run();
    db.prepare("INSERT INTO event_raw (event_id, raw) VALUES (1, '{\"old\":1}')").run();
    expect(migrate(db, list)).toBe(6);
    expect(columns(db).slice(-2)).toEqual(['raw_offset', 'raw_length']);
    expect(db.prepare('SELECT raw_offset, raw_length FROM events').get()).toEqual({ raw_offset: null, raw_length: null });
    expect(getRawRecord(db, 'x')).toBe('{"old":1}');
  });
});
