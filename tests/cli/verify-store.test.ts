import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../src/engine/jobs/ingest.ts';
import { openCase } from '../../src/engine/store/db.ts';
import { RAW_FILE } from '../../src/engine/store/raw-file.ts';
import { syntheticAuditLines } from '../../bench/synthetic-audit.ts';
import { runCli } from './run-cli.ts';

let root = '';
let caseDir = '';
let logFile = '';

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'gumshoe-verify-cli-'));
  caseDir = join(root, 'case');
  logFile = join(root, 'audit.log');
  const lines: string[] = [];
  for (const l of syntheticAuditLines({ seed: 9, receivedStageRate: 0 })) {
    lines.push(l);
    if (lines.length === 40) break;
  }
  writeFileSync(logFile, `${lines.join('\n')}\n`);
  const db = openCase(caseDir, { create: true });
  await ingest(db, [logFile], { readerUrl: new URL('../engine/jobs/fake-reader.ts', import.meta.url) });
  db.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('gumshoe verify', () => {
  it("checks the case's own raw-record file: an edit made after ingest fails verify", async () => {
    const clean = await runCli('verify', '--case', caseDir);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain(`ok         ${join(caseDir, RAW_FILE)}  (case store: 1 sealed segment(s)`);
    const raw = join(caseDir, RAW_FILE);
    writeFileSync(raw, readFileSync(raw, 'utf8').replace('alice@example.com', 'mallo@example.com'));
    const edited = await runCli('verify', '--case', caseDir, '--json');
    expect(edited.code).toBe(1);
    const r = JSON.parse(edited.out) as { ok: boolean; results: { status: string }[]; store: { path: string; status: string }[] };
    expect([r.ok, r.results.map((x) => x.status), r.store.map((x) => [x.path, x.status])]).toEqual([false, ['ok'], [[raw, 'changed']]]);
  });

  it('reports evidence replaced by a FIFO as changed instead of hanging', async () => {
    rmSync(logFile);
    execFileSync('mkfifo', [logFile]);
    const r = await runCli('verify', '--case', caseDir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^changed {4}\S+audit\.log {2}\(a FIFO, not a regular file\)$/m);
  }, 20_000);
});
