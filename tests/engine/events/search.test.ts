import { describe, expect, it } from 'vitest';
import type { SearchQuery } from '../../../src/shared/contract.ts';
import { ensureSearchIndex, ftsQuery, searchEvents } from '../../../src/engine/events/search.ts';
import { setMark } from '../../../src/engine/store/marks.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { makeEvent } from '../store/event-fixtures.ts';
import { investigationCase, MIN, T0 } from './case-fixture.ts';

const ids = (db: ReturnType<typeof investigationCase>['db'], q: SearchQuery): string[] => searchEvents(db, q, 0, 100).rows.map((r) => r.auditID);

describe('searchEvents', () => {
  const { db } = investigationCase();

  it.each<[string, SearchQuery, string[]]>([
    ['user is a substring, any case', { user: 'ALICE' }, ['alice-create', 'alice-exec', 'alice-secret']],
    ['an IPv4 CIDR block', { ip: '198.51.100.0/24' }, ['alice-exec', 'alice-secret']],
    ['an IPv6 CIDR block', { ip: '2001:db8::/32' }, ['alice-create']],
    ['a bare address', { ip: '203.0.113.50' }, ['scan-1']],
    ['several verbs, comma-separated', { verb: 'create,get', user: 'alice' }, ['alice-create', 'alice-exec', 'alice-secret']],
    ['object name from the request body of a create', { name: 'debug-94' }, ['alice-create', 'alice-exec']],
    ['a status class', { code: '4xx' }, ['alice-secret', 'scan-1']],
    ['an exact status', { code: '101' }, ['alice-exec']],
    ['decision', { decision: 'forbid', resource: 'secrets' }, ['alice-secret']],
    ['user agent substring', { userAgent: 'curl' }, ['scan-1']],
    ['free text finds the exec command', { text: 'chroot' }, ['alice-exec']],
    ['free text finds the image of a create (from its summary)', { text: 'busybox' }, ['alice-create']],
    ['free text words are prefixes and all required', { text: 'kube-sys admin' }, ['alice-secret']],
    ['an empty time range (from after to) matches nothing', { namespace: 'kube-system', fromUs: T0 + 28 * MIN, toUs: T0 + 8 * MIN }, []],
    ['a user that is not in the case matches nothing', { user: 'nobody' }, []],
  ])('%s', (_name, q, want) => {
    expect(ids(db, q)).toEqual(want);
  });

  it('shares the time range with the timeline: from inclusive, to exclusive', () => {
    const got = ids(db, { namespace: 'kube-system', fromUs: T0 + 6 * MIN, toUs: T0 + 8 * MIN });
    expect(got).toEqual(['lease-6', 'lease-7', 'alice-secret']);
  });

  it('says what happened and carries the mark', () => {
    setMark(db, 'alice-exec', { starred: true, tags: ['escape'] }, 'Dana');
    const [hit] = searchEvents(db, { text: 'chroot' }, 0, 10).rows;
    expect(hit.summary).toBe('exec `chroot /host sh` in web/debug-94pmq container debug');
    expect(hit.outcome).toBe('success');
    expect(hit.mark?.tags).toEqual(['escape']);
    expect(ids(db, { starred: true })).toEqual(['alice-exec']);
    expect(ids(db, { tag: 'ESCAPE', user: 'alice' })).toEqual(['alice-exec']);
    expect(ids(db, { tag: 'nope' })).toEqual([]);
    setMark(db, 'scan-1', { comment: 'scanner' }, 'Dana');
    expect(ids(db, { marked: true })).toEqual(['alice-exec', 'scan-1']);
  });

  it('pages in time order and counts every match', () => {
    const p1 = searchEvents(db, { user: 'controller' }, 0, 10);
    const p2 = searchEvents(db, { user: 'controller' }, 10, 10);
    expect(p1.total).toBe(30);
    expect(p1.totalCapped).toBe(false);
    expect(p1.rows.map((r) => r.auditID)).toEqual(Array.from({ length: 10 }, (_, i) => `lease-${i}`));
    expect(p2.rows[0].auditID).toBe('lease-10');
  });

  it('refuses an address that is neither an IP nor a block, as a user error', () => {
    expect(() => searchEvents(db, { ip: '10.0.0.300/8' }, 0, 10)).toThrow(/not an IP address or CIDR block/);
  });

  it('indexes events ingested after the first search', () => {
    const late = makeEvent({ auditID: 'late-1', timeUs: T0 + 60 * MIN, user: 'mallory', sourceIPs: ['192.0.2.7'], origin: { evidenceId: 1, path: '', line: 999, record: 998 } });
    insertEventBatch(db, [late], ['{}']);
    expect(ensureSearchIndex(db)).toBe(1);
    expect(ids(db, { user: 'mallory' })).toEqual(['late-1']);
    expect(ids(db, { ip: '192.0.2.0/24' })).toEqual(['late-1']);
  });
});

describe('ftsQuery', () => {
  it('quotes every word so input is never FTS syntax', () => {
    // Quotes and brackets split words; OR and NEAR become plain words, not operators.
    expect(ftsQuery('a"b OR NEAR(')).toBe('"a"* AND "b"* AND "OR"* AND "NEAR"*');
    expect(ftsQuery('  ')).toBeUndefined();
  });
});
