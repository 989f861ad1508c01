// Two connections bringing the search index up to date at once (two read threads' first
// searches, or a search during the ingest job's last step) must take turns, not both index the
// same events: FTS rowids would collide and every entity count would double.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCase } from '../../../src/engine/store/db.ts';
import { beginEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { entityStat } from '../../../src/engine/store/search-index.ts';
import { startWorker } from '../../../src/engine/util/worker.ts';
import { ensureSearchIndex } from '../../../src/engine/events/search.ts';
import { makeEvent } from './event-fixtures.ts';

const EVENTS = 3000;
const tmp = mkdtempSync(join(tmpdir(), 'gumshoe-refresh-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function refreshIn(caseDir: string, stepRows: number): Promise<{ indexed?: number; error?: string }> {
  const worker = startWorker(new URL('./fixtures/refresh-worker.ts', import.meta.url), { workerData: { caseDir, stepRows } });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('search index refresh', () => {
  it('indexes every event exactly once when two connections refresh at the same time', async () => {
    const caseDir = join(tmp, 'case');
    const db = openCase(caseDir, { create: true });
    const ev = beginEvidence(db, { path: '/e/audit.log', parent: null, container: 'file', size: 1 }).id;
    const events = Array.from({ length: EVENTS }, (_, i) =>
      makeEvent({ auditID: `ev-${i}`, timeUs: 1_760_000_000_000_000 + i * 1e6, verb: i % 3 === 0 ? 'get' : 'list', user: `user-${i % 7}`, origin: { evidenceId: ev, path: '/e/audit.log', line: i + 1, record: i } }),
    );
    insertEventBatch(db, events, events.map((e) => JSON.stringify({ auditID: e.auditID })));
    db.close();

    // Small steps, so the two refreshes overlap for many of them.
    const [a, b] = await Promise.all([refreshIn(caseDir, 40), refreshIn(caseDir, 40)]);
    expect(a.error ?? b.error).toBeUndefined();
    expect((a.indexed ?? 0) + (b.indexed ?? 0)).toBe(EVENTS);

    const after = openCase(caseDir);
    try {
      expect(after.prepare('select count(*) from search_fts').pluck().get()).toBe(EVENTS);
      expect(entityStat(after, 'user', 'user-0')?.events).toBe(events.filter((e) => e.user === 'user-0').length);
      const verbs = after.prepare("select sum(events) from entity_stats where kind = 'verb'").pluck().get();
      expect(verbs).toBe(EVENTS);
    } finally {
      after.close();
    }
  });

  it('says plainly that the index is being built when another connection holds the case past the busy wait', () => {
    const caseDir = join(tmp, 'busy');
    const db = openCase(caseDir, { create: true });
    const ev = beginEvidence(db, { path: '/e/audit.log', parent: null, container: 'file', size: 1 }).id;
    insertEventBatch(db, [makeEvent({ auditID: 'ev-1', origin: { evidenceId: ev, path: '/e/audit.log', line: 1, record: 0 } })], ['{}']);
    const other = openCase(caseDir);
    try {
      other.prepare('begin immediate').run();
      db.pragma('busy_timeout = 20');
      expect(() => ensureSearchIndex(db)).toThrow(/search index is being brought up to date by another task/);
      other.prepare('rollback').run();
      db.pragma('busy_timeout = 5000');
      expect(ensureSearchIndex(db)).toBe(1);
    } finally {
      other.close();
      db.close();
    }
  });
});
