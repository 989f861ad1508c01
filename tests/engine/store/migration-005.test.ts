import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m001Evidence } from '../../../src/engine/store/migrations/001-evidence.ts';
import { m002Events } from '../../../src/engine/store/migrations/002-events.ts';
import { m003RecordErrors } from '../../../src/engine/store/migrations/003-record-errors.ts';
import { m004EventIndexes } from '../../../src/engine/store/migrations/004-event-indexes.ts';
import { m005EventRawFile } from '../../../src/engine/store/migrations/005-event-raw-file.ts';

const list = [m001Evidence, m002Events, m003RecordErrors, m004EventIndexes, m005EventRawFile];
const columns = (db: Database.Database): string[] => db.prepare("SELECT name FROM pragma_table_info('event_raw')").pluck().all() as string[];

describe('migration 005 event raw file', () => {
  it('adds nullable file references to event_raw and keeps rows written before it', () => {
    const db = new Database(':memory:');
    migrate(db, list, 4);
    expect(columns(db)).toEqual(['event_id', 'raw']);
    db.prepare("INSERT INTO evidence (path, container, status, acquired_at) VALUES ('/a', 'file', 'reading', 'now')").run();
    db.prepare(`INSERT INTO events (audit_id, time_us, stage, stages, level, verb, user, groups, impersonated_groups, source_ips,
      request_uri, annotations, format, missing, origin_evidence, origin_line, origin_record)
      VALUES ('x', 1, 'ResponseComplete', '[]', 'Metadata', 'get', 'u', '[]', '[]', '[]', '/', '{}', 'raw', '[]', 1, 1, 0)`).run();
    db.prepare("INSERT INTO event_raw (event_id, raw) VALUES (1, '{\"old\":1}')").run();
    expect(migrate(db, list)).toBe(5);
    expect(columns(db)).toEqual(['event_id', 'raw', 'file_offset', 'file_length']);
    expect(db.prepare('SELECT raw, file_offset, file_length FROM event_raw').get()).toEqual({ raw: '{"old":1}', file_offset: null, file_length: null });
  });
});
