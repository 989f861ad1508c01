import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { writeSyntheticLog } from '../../bench/synthetic-audit.ts';
import { openCase } from '../../src/engine/store/db.ts';
import { getRawRecords } from '../../src/engine/store/events-read.ts';
import { caseSummary } from '../../src/engine/store/summary.ts';
import { listEvidence } from '../../src/engine/store/evidence.ts';

const bin = fileURLToPath(new URL('../../bin/gumshoe.mjs', import.meta.url));
let root = '';
let log = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gumshoe-kill-'));
  log = join(root, 'audit.log');
  // Big enough that the ingest is still running when the first batches are committed.
  await writeSyntheticLog(log, 40e6, { seed: 21 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function gumshoe(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
  return { child, done };
}

/** Committed events in a case another process is writing (WAL lets us read beside it). */
function committedEvents(caseDir: string): number {
  const file = join(caseDir, 'case.sqlite');
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // schema not there yet
  }
}

const counts = (caseDir: string) => {
  const db = openCase(caseDir, { readonly: true });
  try {
    const s = caseSummary(db);
    return { events: s.events, records: s.records, errors: s.errors.total, evidence: s.evidence.map((e) => [e.path, e.status, e.sha256, e.events]) };
  } finally {
    db.close();
  }
};

/** Every event's raw text, in auditID order, hashed: a kill must not leave any pointing at the wrong bytes. */
const rawDigest = (caseDir: string): string => {
  const db = openCase(caseDir, { readonly: true });
  try {
    const ids = db.prepare('SELECT audit_id FROM events ORDER BY audit_id').pluck().all() as string[];
    const raws = getRawRecords(db, ids);
    const h = createHash('sha256');
    for (const id of ids) h.update(`${id}\0${raws.get(id) ?? '<none>'}\0`);
    return h.digest('hex');
  } finally {
    db.close();
  }
};

describe('gumshoe ingest, killed and re-run', () => {
  it('leaves a consistent case that the same command completes to a clean run\'s counts', async () => {
    const clean = join(root, 'clean');
    const cleanRun = await gumshoe(['ingest', log, '--case', clean, '--json']).done;
    expect(cleanRun.code).toBe(0);

    const killed = join(root, 'killed');
    const run = gumshoe(['ingest', log, '--case', killed]);
    let seen = 0;
    while (seen === 0) {
      await new Promise((r) => setTimeout(r, 25));
      seen = committedEvents(killed);
    }
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');

    const half = openCase(killed, { readonly: true });
    const partial = caseSummary(half).events;
    const status = listEvidence(half).map((e) => e.status);
    half.close();
    // The kill landed mid-file: some batches are in, the item is not marked finished.
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(counts(clean).events);
    expect(status).toEqual(['reading']);

    const rerun = await gumshoe(['ingest', log, '--case', killed, '--json']).done;
    expect(rerun.code).toBe(0);
    expect(counts(killed)).toEqual(counts(clean));
    expect(rawDigest(killed)).toBe(rawDigest(clean));

    // And once finished, ingesting it again adds nothing.
    const again = await gumshoe(['ingest', log, '--case', killed, '--json']).done;
    expect(JSON.parse(again.out)).toMatchObject({ events: 0, duplicates: 0, skipped: [log] });
    expect(counts(killed)).toEqual(counts(clean));
  });
});
