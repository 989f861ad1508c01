import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { migrations } from '../../../src/engine/store/migrations/index.ts';
import { getEventSources } from '../../../src/engine/store/events-read.ts';

const upTo7 = migrations.filter((m) => m.version <= 7);

describe('migration 007 event origin position', () => {
  it('keeps only further positions in event_sources, and every position still reads back', () => {
    const db = new Database(':memory:');
    migrate(db, upTo7, 6);
    db.prepare("INSERT INTO evidence (path, container, status, acquired_at) VALUES ('/a', 'file', 'done', 'now')").run();
    db.prepare(`INSERT INTO events (audit_id, time_us, stage, stages, level, verb, user, groups, impersonated_groups, source_ips,
      request_uri, annotations, format, missing, origin_evidence, origin_line, origin_record)
      VALUES ('x', 1, 'ResponseComplete', '[]', 'Metadata', 'get', 'u', '[]', '[]', '[]', '/', '{}', 'raw', '[]', 1, 2, 1)`).run();
    // Before 007 the kept record's position was written to event_sources too.
    const src = db.prepare('INSERT INTO event_sources (evidence_id, line, record, event_id, stage) VALUES (1, ?, ?, 1, ?)');
    src.run(1, 0, 'RequestReceived');
    src.run(2, 1, 'ResponseComplete');
    expect(migrate(db, upTo7)).toBe(7);
    expect(db.prepare('SELECT line, record, stage FROM event_sources').all()).toEqual([{ line: 1, record: 0, stage: 'RequestReceived' }]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_origin'").pluck().get()).toBe(1);
    expect(getEventSources(db, 'x')).toEqual([
      { evidenceId: 1, path: '/a', line: 1, record: 0, stage: 'RequestReceived' },
      { evidenceId: 1, path: '/a', line: 2, record: 1, stage: 'ResponseComplete' },
    ]);
  });
});
