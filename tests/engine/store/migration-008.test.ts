import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { migrations } from '../../../src/engine/store/migrations/index.ts';
import { getEventsByAuditIDs } from '../../../src/engine/store/events-read.ts';
import { eventPage } from '../../../src/engine/store/event-pages.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { EVENT_ROW_COLUMNS } from '../../../src/engine/store/event-row.ts';
import { makeEvent } from './event-fixtures.ts';

const upTo8 = migrations.filter((m) => m.version <= 8);
const columns = (db: Database.Database): string[] => db.prepare("SELECT name FROM pragma_table_info('events')").pluck().all() as string[];

function atVersion7(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, upTo8, 7);
  db.prepare("INSERT INTO evidence (path, container, status, acquired_at) VALUES ('/a', 'file', 'done', 'now')").run();
  // Every column a version-7 row has, the moved ones with values that are easy to get wrong: JSON
  // text in columns, a null object, a number that must stay a number, text that only looks like JSON.
  db.prepare(`INSERT INTO events (audit_id, time_us, stage_time_us, stage, stages, level, verb, user, groups, uid, impersonated_user,
      impersonated_groups, source_ip, source_ips, user_agent, resource, subresource, namespace, name, api_group, api_version,
      request_uri, response_code, decision, reason, annotations, request_object, response_object, format, provider, cluster, missing,
      origin_evidence, origin_line, origin_record, raw_offset, raw_length)
    VALUES ('x', 10, 12, 'ResponseComplete', '["RequestReceived","ResponseComplete"]', 'RequestResponse', 'create', 'alice',
      '["dev","system:authenticated"]', 'u-1', 'bob', '["ops"]', '10.0.0.1', '["10.0.0.1","10.0.0.2"]', '[curl/8]', 'pods', 'exec',
      'prod', 'web', '', 'v1', '/api/v1/namespaces/prod/pods/web/exec', 101, 'allow', 'RBAC: allowed',
      '{"authorization.k8s.io/decision":"allow"}', '{"kind":"PodExecOptions","stdin":true,"n":12345678901}', NULL, 'raw', 'aws', 'prod-eks',
      '["groups"]', 1, 3, 0, 100, 50)`).run();
  return db;
}

describe('migration 008 event detail', () => {
  it('moves the non-pivot columns into one JSON object and every event reads back the same', () => {
    const db = atVersion7();
    expect(migrate(db, upTo8)).toBe(8);
    expect(columns(db)).toEqual(['id', ...EVENT_ROW_COLUMNS.filter((c) => c !== 'detail'), 'raw_offset', 'raw_length', 'detail']);
    const [e] = getEventsByAuditIDs(db, ['x']);
    // Spelled out from the row above rather than read back by version 7's code, which no longer exists.
    expect(e).toMatchObject({
      auditID: 'x', timeUs: 10, stageTimeUs: 12, stage: 'ResponseComplete', stages: ['RequestReceived', 'ResponseComplete'],
      level: 'RequestResponse', verb: 'create', user: 'alice', groups: ['dev', 'system:authenticated'], uid: 'u-1',
      impersonatedUser: 'bob', impersonatedGroups: ['ops'], sourceIPs: ['10.0.0.1', '10.0.0.2'], userAgent: '[curl/8]',
      resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web', apiGroup: '', apiVersion: 'v1',
      requestURI: '/api/v1/namespaces/prod/pods/web/exec', responseCode: 101, decision: 'allow', reason: 'RBAC: allowed',
      annotations: { 'authorization.k8s.io/decision': 'allow' }, requestObject: { kind: 'PodExecOptions', stdin: true, n: 12345678901 },
      responseObject: null, format: 'raw', provider: 'aws', cluster: 'prod-eks', missing: ['groups'],
      origin: { evidenceId: 1, path: '/a', line: 3, record: 0 },
    });
    // Readable without Gumshoe, by key, in any SQLite shell.
    expect(db.prepare("SELECT detail->>'$.userAgent' FROM events").pluck().get()).toBe('[curl/8]');
    expect(eventPage(db, {}, 0, 10).rows[0]).toMatchObject({ sourceIPs: ['10.0.0.1', '10.0.0.2'], userAgent: '[curl/8]' });
  });

  it('keeps the pivot indexes and takes new rows in the new shape', () => {
    const db = atVersion7();
    const indexes = (): string[] => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[];
    const had = indexes();
    migrate(db, upTo8);
    expect(indexes()).toEqual(had);
    // A sparse event (nulls and empty lists are left out of detail) and a full one read back whole.
    const sparse = makeEvent({ auditID: 'y', groups: [], sourceIPs: [], userAgent: null, annotations: {}, origin: { evidenceId: 1, path: '/a', line: 4, record: 0 } });
    const full = makeEvent({
      auditID: 'z', stageTimeUs: 5, uid: 'u', impersonatedUser: 'sa', impersonatedGroups: ['g'], apiGroup: 'apps', reason: 'r',
      requestObject: { spec: { hostPID: true } }, responseObject: { status: 'ok' }, provider: 'gcp', cluster: 'c', missing: ['groups'],
      origin: { evidenceId: 1, path: '/a', line: 5, record: 2 },
    });
    insertEventBatch(db, [sparse, full], ['{}', '{}']);
    expect(getEventsByAuditIDs(db, ['y', 'z'])).toEqual([sparse, full]);
    expect(JSON.parse(db.prepare("SELECT detail FROM events WHERE audit_id = 'y'").pluck().get() as string)).not.toHaveProperty('groups');
  });
});
