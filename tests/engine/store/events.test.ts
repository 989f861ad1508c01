import { describe, expect, it } from 'vitest';
import { openMemory, type Db } from '../../../src/engine/store/db.ts';
import { beginEvidence, finishEvidence, listEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { countEvents, getEventSources, getEventsByAuditIDs, getRawRecord, iterateEvents } from '../../../src/engine/store/events-read.ts';
import { insertRecordErrors, listErrors } from '../../../src/engine/store/record-errors.ts';
import { caseSummary } from '../../../src/engine/store/summary.ts';
import { makeEvent } from './event-fixtures.ts';

function caseWithTwoFiles(): { db: Db; a: number; b: number } {
  const db = openMemory();
  const a = beginEvidence(db, { path: '/e/a.log', parent: null, container: 'file', size: 10 }).id;
  const b = beginEvidence(db, { path: '/e/b.log', parent: null, container: 'file', size: 10 }).id;
  return { db, a, b };
}
const at = (evidenceId: number, line: number) => ({ evidenceId, path: '', line, record: line - 1 });

describe('insertEventBatch', () => {
  it('round-trips every field of an event', () => {
    const { db, a } = caseWithTwoFiles();
    const e = makeEvent({
      auditID: 'id-1',
      stageTimeUs: 1_760_000_000_500_000,
      impersonatedUser: 'bob',
      impersonatedGroups: ['devs'],
      sourceIPs: ['10.0.0.9', '10.0.0.1'],
      requestObject: { kind: 'Pod', spec: { containers: [{ image: 'nginx' }] } },
      missing: ['groups'],
      origin: at(a, 7),
    });
    insertEventBatch(db, [e], ['{"raw":1}']);
    const [back] = getEventsByAuditIDs(db, ['id-1']);
    expect(back).toEqual({ ...e, origin: { ...e.origin, path: '/e/a.log' } });
    expect(getRawRecord(db, 'id-1')).toBe('{"raw":1}');
    expect(getRawRecord(db, 'nope')).toBeNull();
  });

  it('merges stages of one request into one event, keeping the final stage whole', () => {
    const { db, a } = caseWithTwoFiles();
    const received = makeEvent({ auditID: 'r', stage: 'RequestReceived', responseCode: null, origin: at(a, 1) });
    const complete = makeEvent({ auditID: 'r', stage: 'ResponseComplete', responseCode: 201, origin: at(a, 2) });
    const r1 = insertEventBatch(db, [received], ['recv']);
    const r2 = insertEventBatch(db, [complete], ['done']);
    expect([r1.inserted, r2.inserted, r2.duplicates]).toEqual([1, 0, 1]);
    const [e] = getEventsByAuditIDs(db, ['r']);
    expect(e.stage).toBe('ResponseComplete');
    expect(e.stages).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(e.responseCode).toBe(201);
    expect(e.origin.line).toBe(2);
    // The displaced record's position is kept, with its own stage.
    expect(getEventSources(db, 'r').map((x) => [x.line, x.stage])).toEqual([[1, 'RequestReceived'], [2, 'ResponseComplete']]);
    expect(getRawRecord(db, 'r')).toBe('done');
    expect(countEvents(db)).toBe(1);
  });

  it('does not let an earlier stage arriving late replace the final one', () => {
    const { db, a } = caseWithTwoFiles();
    insertEventBatch(db, [makeEvent({ auditID: 'r', stage: 'ResponseComplete', responseCode: 200, origin: at(a, 1) })], ['done']);
    insertEventBatch(db, [makeEvent({ auditID: 'r', stage: 'ResponseStarted', responseCode: null, origin: at(a, 2) })], ['started']);
    const [e] = getEventsByAuditIDs(db, ['r']);
    expect(e.stage).toBe('ResponseComplete');
    expect(e.stages).toEqual(['ResponseComplete', 'ResponseStarted']);
    expect(getRawRecord(db, 'r')).toBe('done');
  });

  it('counts Panic as final', () => {
    const { db, a } = caseWithTwoFiles();
    insertEventBatch(db, [makeEvent({ auditID: 'p', stage: 'RequestReceived', origin: at(a, 1) }), makeEvent({ auditID: 'p', stage: 'Panic', responseCode: 500, origin: at(a, 2) })], ['a', 'b']);
    expect(getEventsByAuditIDs(db, ['p'])[0].stage).toBe('Panic');
  });

  it('records every export a request was seen in, as one event', () => {
    const { db, a, b } = caseWithTwoFiles();
    insertEventBatch(db, [makeEvent({ auditID: 'x', origin: at(a, 3) })], ['x']);
    const r = insertEventBatch(db, [makeEvent({ auditID: 'x', origin: at(b, 9) })], ['x']);
    expect(r).toEqual({ inserted: 0, duplicates: 1, replayed: 0, conflicts: [] });
    expect(getEventSources(db, 'x').map((s) => [s.path, s.line])).toEqual([
      ['/e/a.log', 3],
      ['/e/b.log', 9],
    ]);
    expect(getEventsByAuditIDs(db, ['x'])[0].stages).toEqual(['ResponseComplete']);
  });

  it('keeps records under one auditID that describe different requests apart, and merges stages and copies', () => {
    const { db, a, b } = caseWithTwoFiles();
    const lease = { auditID: 'abc-123', verb: 'update', requestURI: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/l' };
    const r = insertEventBatch(
      db,
      [
        makeEvent({ ...lease, stage: 'RequestReceived', timeUs: 5, origin: at(a, 1) }),
        makeEvent({ ...lease, timeUs: 5, origin: at(a, 2) }),
        // Same verb, user and URI, same stage, another time: another request.
        makeEvent({ ...lease, timeUs: 9, origin: at(a, 3) }),
        // Another verb and URI.
        makeEvent({ auditID: 'abc-123', verb: 'list', requestURI: '/api/v1/pods', origin: at(a, 4) }),
        // Another export's copy of the first (its time lost) and of the third.
        makeEvent({ ...lease, timeUs: 0, origin: at(b, 1) }),
        makeEvent({ ...lease, timeUs: 9, origin: at(b, 2) }),
        // Another format may spell the URI differently: only the user tells requests apart there.
        makeEvent({ ...lease, requestURI: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases', format: 'gke', timeUs: 5, origin: at(b, 3) }),
      ],
      ['1', '2', '3', '4', '5', '6', '7'],
    );
    expect([r.inserted, r.duplicates]).toEqual([3, 4]);
    expect(r.conflicts.map((c) => [c.storedAs, c.line, c.other.line, c.differs])).toEqual([
      ['abc-123#2', 3, 2, ['time 5 vs 9']],
      ['abc-123#3', 4, 2, ['verb "update" vs "list"', 'requestURI "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/l" vs "/api/v1/pods"', 'time 5 vs 1760000000000000']],
    ]);
    expect(getEventsByAuditIDs(db, ['abc-123'])[0].stages).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(getEventSources(db, 'abc-123#2').map((x) => [x.path, x.line])).toEqual([
      ['/e/a.log', 3],
      ['/e/b.log', 2],
    ]);
    expect(getRawRecord(db, 'abc-123#3')).toBe('4');
  });

  it('keeps auditIDs with lone surrogates apart, as their escape text', () => {
    const { db, a } = caseWithTwoFiles();
    const r = insertEventBatch(db, [makeEvent({ auditID: '\ud800', origin: at(a, 1) }), makeEvent({ auditID: '\udc00', origin: at(a, 2) })], ['1', '2']);
    expect(r.inserted).toBe(2);
    expect(db.prepare('SELECT audit_id FROM events ORDER BY id').pluck().all()).toEqual(['\\ud800', '\\udc00']);
    expect(getRawRecord(db, '\\udc00')).toBe('2');
  });

  it('adds nothing when the same records are written again (a resumed run)', () => {
    const { db, a } = caseWithTwoFiles();
    const batch = [makeEvent({ auditID: 'r', stage: 'RequestReceived', origin: at(a, 1) }), makeEvent({ auditID: 'r', origin: at(a, 2) }), makeEvent({ auditID: 's', origin: at(a, 3) })];
    insertEventBatch(db, batch, ['1', '2', '3']);
    const again = insertEventBatch(db, batch, ['1', '2', '3']);
    expect(again).toEqual({ inserted: 0, duplicates: 0, replayed: 3, conflicts: [] });
    expect(countEvents(db)).toBe(2);
    expect(getEventSources(db, 'r')).toHaveLength(2);
  });
});

describe('reading events', () => {
  function populated(): Db {
    const { db, a } = caseWithTwoFiles();
    const t0 = 1_760_000_000_000_000;
    insertEventBatch(
      db,
      [
        makeEvent({ auditID: 'c', timeUs: t0 + 3, user: 'bob', verb: 'delete', resource: 'secrets', namespace: 'prod', sourceIPs: ['1.2.3.4'], responseCode: 403, origin: at(a, 1) }),
        makeEvent({ auditID: 'a', timeUs: t0 + 1, origin: at(a, 2) }),
        makeEvent({ auditID: 'b', timeUs: t0 + 2, verb: 'list', namespace: null, origin: at(a, 3) }),
        makeEvent({ auditID: 'd', timeUs: t0 + 2, user: 'bob', origin: at(a, 4) }),
      ],
      ['c', 'a', 'b', 'd'],
    );
    return db;
  }
  const ids = (db: Db, f: Parameters<typeof iterateEvents>[1] = {}) => [...iterateEvents(db, f)].map((e) => e.auditID);

  it('iterates in time order, acquisition order breaking ties, without sorting the case', () => {
    const db = populated();
    expect(ids(db)).toEqual(['a', 'b', 'd', 'c']);
    for (const where of ['', 'WHERE e.user = ?', 'WHERE e.source_ip = ?']) {
      const sql = `SELECT e.*, v.path FROM events e JOIN evidence v ON v.id = e.origin_evidence ${where} ORDER BY e.time_us, e.id`;
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(where ? ['x'] : [])) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('applies each filter', () => {
    const db = populated();
    const t0 = 1_760_000_000_000_000;
    expect(ids(db, { fromUs: t0 + 2, toUs: t0 + 3 })).toEqual(['b', 'd']);
    expect(ids(db, { user: 'bob' })).toEqual(['d', 'c']);
    expect(ids(db, { verb: 'list' })).toEqual(['b']);
    expect(ids(db, { resource: 'secrets', namespace: 'prod' })).toEqual(['c']);
    expect(ids(db, { sourceIP: '1.2.3.4' })).toEqual(['c']);
    expect(ids(db, { responseCode: 403 })).toEqual(['c']);
    expect(ids(db, { user: 'bob', limit: 1 })).toEqual(['d']);
    expect(countEvents(db, { user: 'bob' })).toBe(2);
  });

  it('returns events by auditID in time order, skipping unknown ones', () => {
    expect(getEventsByAuditIDs(populated(), ['c', 'zzz', 'a', 'c']).map((e) => e.auditID)).toEqual(['a', 'c']);
  });

  it('summarises the case', () => {
    const db = populated();
    const ev = listEvidence(db);
    finishEvidence(db, ev[0].id, { sha256: 'ab'.repeat(32), size: 10, formats: ['raw'], events: 4, errors: 1 });
    insertRecordErrors(db, [{ evidenceId: ev[0].id, path: '/e/a.log', line: 5, record: 4, code: 'json', reason: 'bad', excerpt: '{' }]);
    const s = caseSummary(db);
    expect(s.events).toBe(4);
    expect(s.records).toBe(4);
    expect(s.fromUs).toBe(1_760_000_000_000_001);
    expect(s.toUs).toBe(1_760_000_000_000_003);
    expect(s.undated).toBe(0);
    insertEventBatch(db, [makeEvent({ auditID: 'no-time', timeUs: 0, origin: at(ev[0].id, 9) })], ['{}']);
    expect(caseSummary(db)).toMatchObject({ fromUs: 1_760_000_000_000_001, undated: 1, events: 5 });
    expect(s.topUsers[0]).toEqual({ value: 'alice', count: 2 });
    expect(s.topUsers).toContainEqual({ value: 'bob', count: 2 });
    expect(s.topVerbs[0]).toEqual({ value: 'get', count: 2 });
    expect(s.topSourceIPs).toContainEqual({ value: '1.2.3.4', count: 1 });
    expect(s.formats).toEqual([{ value: 'raw', count: 4 }]);
    expect(s.errors.total).toBe(1);
    expect(s.errors.first[0]).toMatchObject({ path: '/e/a.log', line: 5, code: 'json' });
    expect(s.evidence[0]).toMatchObject({ path: '/e/a.log', status: 'done', events: 4, formats: ['raw'] });
    expect(s.evidence[1]).toMatchObject({ path: '/e/b.log', status: 'reading' });
  });

  it('lists errors by code and ignores a replayed one', () => {
    const db = populated();
    const e = { evidenceId: null, path: '/e/a.log', line: 5, record: 4, code: 'json', reason: 'bad', excerpt: '{' };
    expect(insertRecordErrors(db, [e, { ...e, line: 6, record: 5, code: 'utf8' }])).toHaveLength(2);
    expect(insertRecordErrors(db, [e])).toHaveLength(0);
    expect(listErrors(db).map((x) => x.code)).toEqual(['json', 'utf8']);
    expect(listErrors(db, { code: 'utf8' })).toHaveLength(1);
  });
});

describe('evidence', () => {
  it('keeps an item\'s id across a resumed run and links members to their container', () => {
    const db = openMemory();
    const tar = beginEvidence(db, { path: '/b.tar', parent: null, container: 'tar', size: 100 });
    const member = beginEvidence(db, { path: '/b.tar!/x.log', parent: '/b.tar', container: 'file', size: null });
    expect(beginEvidence(db, { path: '/b.tar', parent: null, container: 'tar', size: 100 })).toEqual({ id: tar.id, created: false });
    expect(listEvidence(db).find((e) => e.id === member.id)?.parent).toBe('/b.tar');
  });
});
