import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase, type Db } from '../../../src/engine/store/db.ts';
import { ingest } from '../../../src/engine/jobs/ingest.ts';
import { listEvidence } from '../../../src/engine/store/evidence.ts';
import { caseSummary } from '../../../src/engine/store/summary.ts';
import { getEventSources, getEventsByAuditIDs, getRawRecord } from '../../../src/engine/store/events-read.ts';
import { syntheticAuditLines } from '../../../bench/synthetic-audit.ts';
import { listRuns } from '../../../src/engine/store/runs.ts';

const readerUrl = new URL('./fake-reader.ts', import.meta.url);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'gumshoe-ingest-'));
  dirs.push(d);
  return d;
}
function lines(n: number, seed: number): string[] {
  const out: string[] = [];
  for (const l of syntheticAuditLines({ seed, receivedStageRate: 0.2 })) {
    out.push(l);
    if (out.length === n) break;
  }
  return out;
}
const uniqueIDs = (ls: string[]) => new Set(ls.map((l) => (JSON.parse(l) as { auditID: string }).auditID)).size;

describe('ingest job', () => {
  it('stores every event once, with stages merged, errors kept and indexes rebuilt', async () => {
    const dir = tmp();
    const ls = lines(3000, 7);
    const file = join(dir, 'audit.log');
    writeFileSync(file, [...ls.slice(0, 10), '{not json', '{"kind":"Event"}', ...ls.slice(10)].join('\n') + '\n');
    const db: Db = openCase(join(dir, 'case'), { create: true });
    const seen: number[] = [];
    const s = await ingest(db, [file], { readerUrl, batchSize: 250, onProgress: (p) => seen.push(p.done) });
    expect(s.events).toBe(uniqueIDs(ls));
    expect(s.duplicates).toBe(ls.length - uniqueIDs(ls));
    expect(s.duplicates).toBeGreaterThan(0);
    expect(s.errors).toEqual({ total: 2, byCode: { json: 1, 'not-audit-event': 1 } });
    expect(s.evidenceItems).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
    const sum = caseSummary(db);
    expect(sum.events).toBe(uniqueIDs(ls));
    expect(sum.records).toBe(ls.length);
    expect(sum.errors.first.map((e) => e.line)).toEqual([11, 12]);
    expect(sum.evidence[0]).toMatchObject({ path: file, status: 'done', events: ls.length, errors: 2 });
    const indexes = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'events_%'").pluck().get();
    // Seven pivots and the origin position (migration 007).
    expect(indexes).toBe(8);
    // A request logged at two stages is one event whose raw text is the final stage's record.
    const twice = ls.map((l) => JSON.parse(l) as { auditID: string; stage: string }).find((e) => e.stage === 'RequestReceived');
    if (!twice) throw new Error('generator made no two-stage request');
    const [e] = getEventsByAuditIDs(db, [twice.auditID]);
    expect(e.stages).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(JSON.parse(getRawRecord(db, twice.auditID) ?? '{}')).toMatchObject({ stage: 'ResponseComplete' });
    db.close();
  });

  it('skips a file already ingested and unchanged, and refuses one whose bytes changed', async () => {
    const dir = tmp();
    const file = join(dir, 'a.log');
    writeFileSync(file, lines(500, 1).join('\n') + '\n');
    const db = openCase(join(dir, 'case'), { create: true });
    const first = await ingest(db, [file], { readerUrl });
    const again = await ingest(db, [file], { readerUrl });
    expect(again.skipped).toEqual([file]);
    expect([again.events, again.duplicates, again.replayed]).toEqual([0, 0, 0]);
    expect(caseSummary(db).events).toBe(first.events);
    expect(listRuns(db).map((r) => r.status)).toEqual(['done', 'done']);
    appendFileSync(file, lines(1, 99)[0] + '\n');
    await expect(ingest(db, [file], { readerUrl })).rejects.toThrow(/changed since it was acquired/);
    db.close();
  });

  it('keeps one event per request seen in two exports, with both sources', async () => {
    const dir = tmp();
    const ls = lines(400, 3);
    writeFileSync(join(dir, 'node-a.log'), ls.slice(0, 300).join('\n'));
    writeFileSync(join(dir, 'node-b.log'), ls.slice(100).join('\n'));
    const db = openCase(join(dir, 'case'), { create: true });
    const s = await ingest(db, [dir + '/node-a.log', dir + '/node-b.log'], { readerUrl });
    expect(s.events).toBe(uniqueIDs(ls));
    expect(caseSummary(db).records).toBe(600);
    const shared = (JSON.parse(ls[150]) as { auditID: string }).auditID;
    expect(getEventSources(db, shared).map((x) => x.path)).toEqual([join(dir, 'node-a.log'), join(dir, 'node-b.log')]);
    expect(listEvidence(db).every((e) => e.status === 'done')).toBe(true);
    db.close();
  });

  it('completes a case left half-read, to the same counts as a clean run', async () => {
    const dir = tmp();
    const file = join(dir, 'a.log');
    writeFileSync(file, lines(2000, 5).join('\n') + '\n');
    const clean = openCase(join(dir, 'clean'), { create: true });
    await ingest(clean, [file], { readerUrl });
    // Simulate a kill after some batches: a prefix of the file committed, the item still 'reading'.
    const half = openCase(join(dir, 'half'), { create: true });
    const prefix = join(dir, 'prefix');
    writeFileSync(prefix, lines(2000, 5).slice(0, 900).join('\n') + '\n');
    await ingest(half, [prefix], { readerUrl });
    half.prepare("UPDATE evidence SET path = ?, status = 'reading', sha256 = NULL").run(file);
    half.prepare("INSERT INTO ingest_runs (started_at, paths, status) VALUES ('then', '[]', 'running')").run();
    half.exec('DROP INDEX events_user');
    const resumed = await ingest(half, [file], { readerUrl });
    expect(resumed.replayed).toBe(900);
    expect(listRuns(half).map((r) => r.status)).toEqual(['done', 'failed', 'done']);
    expect(half.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events_user'").pluck().get()).toBe(1);
    const a = caseSummary(clean);
    const b = caseSummary(half);
    expect([b.events, b.records, b.errors.total]).toEqual([a.events, a.records, a.errors.total]);
    expect(b.evidence.map((e) => [e.status, e.sha256, e.events])).toEqual(a.evidence.map((e) => [e.status, e.sha256, e.events]));
    clean.close();
    half.close();
  });

  it('stores an event it cannot turn into a row as that record\'s error, and the rest of the batch', async () => {
    const dir = tmp();
    const file = join(dir, 'a.log');
    writeFileSync(file, 'x\n');
    const db = openCase(join(dir, 'case'), { create: true });
    const s = await ingest(db, [file], { readerUrl: new URL('./unstorable-reader.ts', import.meta.url) });
    expect(s.events).toBe(2);
    expect(db.prepare('SELECT audit_id FROM events ORDER BY id').pluck().all()).toEqual(['ok-1', 'ok-3']);
    expect(getRawRecord(db, 'ok-3')).toBe('r3');
    expect(s.errors.byCode).toEqual({ unstorable: 1 });
    expect(db.prepare('SELECT path, line, code FROM record_errors').all()).toEqual([{ path: file, line: 2, code: 'unstorable' }]);
    expect(listEvidence(db).map((e) => e.status)).toEqual(['done']);
    db.close();
  });

  it('reports a missing input as something the user can fix', async () => {
    const db = openCase(join(tmp(), 'case'), { create: true });
    await expect(ingest(db, ['/no/such/file.log'], { readerUrl })).rejects.toThrow(/no such file/);
    db.close();
  });
});
