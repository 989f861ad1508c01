import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../../src/engine/jobs/ingest.ts';
import { hashRegularFile, verifyCase, verifyStore } from '../../../src/engine/store/verify.ts';
import { openCase, type Db } from '../../../src/engine/store/db.ts';
import { RAW_FILE } from '../../../src/engine/store/raw-file.ts';
import { listSeals } from '../../../src/engine/store/store-seals.ts';
import { syntheticAuditLines } from '../../../bench/synthetic-audit.ts';

const readerUrl = new URL('../jobs/fake-reader.ts', import.meta.url);
let root = '';
let db: Db;

function lines(seed: number, n: number): string {
  const out: string[] = [];
  for (const l of syntheticAuditLines({ seed, receivedStageRate: 0 })) {
    out.push(l);
    if (out.length === n) break;
  }
  return `${out.join('\n')}\n`;
}

async function ingestFile(name: string, seed: number): Promise<string> {
  const path = join(root, name);
  writeFileSync(path, lines(seed, 50));
  await ingest(db, [path], { readerUrl });
  return path;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gumshoe-verify-'));
  db = openCase(join(root, 'case'), { create: true });
});
afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

describe('verify refuses what is not a regular file', () => {
  it('reports evidence replaced by a FIFO as changed, without opening it for a blocking read', async () => {
    const path = await ingestFile('audit.log', 1);
    rmSync(path);
    execFileSync('mkfifo', [path]);
    // Opened the old way this never resolves: no writer ever comes to the FIFO.
    const [r] = await verifyCase(db);
    expect(r).toMatchObject({ path, status: 'changed', actual: null });
    expect(r.detail).toMatch(/FIFO/);
    expect(await hashRegularFile(path)).toEqual({ notRegular: 'a FIFO, not a regular file' });
    // A hang fails here rather than at the suite's two-minute limit.
  }, 20_000);

  it('reports evidence replaced by a directory or a device as changed', async () => {
    const path = await ingestFile('audit.log', 2);
    rmSync(path);
    mkdirSync(path);
    expect((await verifyCase(db))[0]).toMatchObject({ status: 'changed', detail: 'a directory, not a regular file' });
    expect(await hashRegularFile('/dev/zero')).toEqual({ notRegular: 'a character device, not a regular file' });
  });
});

describe("verify checks the case store's raw-record file", () => {
  it('seals each ingest’s new bytes as one contiguous segment and finds them intact', async () => {
    await ingestFile('a.log', 3);
    await ingestFile('b.log', 4);
    const seals = listSeals(db);
    expect(seals.map((s) => s.start)).toEqual([0, seals[0].end]);
    expect(seals[1].end).toBe(readFileSync(join(root, 'case', RAW_FILE)).length);
    expect(verifyStore(db)).toMatchObject([{ status: 'ok' }]);
  });

  it('finds an edit of the raw file, even one that keeps its length', async () => {
    await ingestFile('a.log', 5);
    const raw = join(root, 'case', RAW_FILE);
    const text = readFileSync(raw, 'utf8');
    const i = text.indexOf('"verb":"get"');
    expect(i).toBeGreaterThan(0);
    writeFileSync(raw, `${text.slice(0, i)}"verb":"GET"${text.slice(i + 12)}`);
    const [r] = verifyStore(db);
    expect(r).toMatchObject({ path: raw, status: 'changed' });
    expect(r.detail).toMatch(/^bytes 0–\d+ .* differ$/);
  });

  it('finds a truncated or missing raw file, and bytes no finished ingest sealed', async () => {
    await ingestFile('a.log', 6);
    const raw = join(root, 'case', RAW_FILE);
    const bytes = readFileSync(raw);
    appendFileSync(raw, '{"forged":true}\n');
    expect(verifyStore(db)).toMatchObject([{ status: 'unfinished' }]);
    writeFileSync(raw, bytes.subarray(0, bytes.length - 10));
    expect(verifyStore(db)).toMatchObject([{ status: 'changed' }]);
    rmSync(raw);
    expect(verifyStore(db)).toMatchObject([{ status: 'missing' }]);
  });

  it('says a raw file from before seals is unsealed, and the next ingest seals it', async () => {
    await ingestFile('a.log', 7);
    db.exec('drop trigger store_seals_append_only_delete; delete from store_seals');
    expect(verifyStore(db)).toMatchObject([{ status: 'unfinished' }]);
    await ingest(db, [join(root, 'a.log')], { readerUrl });
    expect(verifyStore(db)).toMatchObject([{ status: 'ok' }]);
  });
});
