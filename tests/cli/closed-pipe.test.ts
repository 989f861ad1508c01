import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/engine/hunt/types.ts';
import { ingest } from '../../src/engine/jobs/ingest.ts';
import { openCase } from '../../src/engine/store/db.ts';
import { saveHuntRun } from '../../src/engine/store/findings.ts';
import { syntheticAuditLines } from '../../bench/synthetic-audit.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let root = '';
let caseDir = '';
let goneCase = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gumshoe-pipe-'));
  caseDir = join(root, 'case');
  const lines: string[] = [];
  for (const l of syntheticAuditLines({ seed: 3, receivedStageRate: 0 })) {
    lines.push(l);
    if (lines.length === 200) break;
  }
  const file = join(root, 'audit.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const db = openCase(caseDir, { create: true });
  await ingest(db, [file], { readerUrl: new URL('../engine/jobs/fake-reader.ts', import.meta.url) });
  const auditID = (JSON.parse(lines[0]) as { auditID: string }).auditID;
  const finding: Finding = { id: 'F-0001', kind: 'rule', start: '2026-11-02T09:00:00.000000Z', end: '2026-11-02T09:01:00.000000Z', startUs: 0, endUs: 60e6, score: 0.5, severity: 'medium', techniques: [], users: [], sourceIPs: [], auditIDs: [auditID], ruleIds: [], title: 'one finding', reasons: [] };
  saveHuntRun(db, { startedAt: new Date().toISOString(), config: {}, metrics: {} }, [finding]);
  db.close();
  // A second case whose evidence is gone: verify must still say so by its status.
  goneCase = join(root, 'gone-case');
  const gone = join(root, 'gone.log');
  writeFileSync(gone, `${lines.slice(0, 20).join('\n')}\n`);
  const db2 = openCase(goneCase, { create: true });
  await ingest(db2, [gone], { readerUrl: new URL('../engine/jobs/fake-reader.ts', import.meta.url) });
  db2.close();
  rmSync(gone);
  return () => rmSync(root, { recursive: true, force: true });
});

/** Runs the real CLI with stdout a pipe whose reading end is closed at once, as `| head -0` would. */
function withClosedStdout(args: string[]): Promise<{ code: number | null; signal: string | null; err: string }> {
  const child = spawn(process.execPath, ['bin/gumshoe.mjs', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  // Before the CLI has started (tsx alone takes longer): its first write finds no reader.
  child.stdout.destroy();
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, err })));
}

describe('stdout closed by the reader (gumshoe … | head)', () => {
  for (const args of [['info'], ['findings'], ['verify'], ['events'], ['events', '--json']]) {
    it(`${args.join(' ')} exits quietly with its own status`, async () => {
      const r = await withClosedStdout([...args, '--case', caseDir]);
      // Progress lines may be there (stderr is not a terminal); a stack trace may not.
      expect(r.err).not.toMatch(/EPIPE|Error|\n\s+at /);
      expect([r.code, r.signal]).toEqual([0, null]);
    });
  }

  it('verify still exits 1 when evidence is missing, reader or not', async () => {
    const r = await withClosedStdout(['verify', '--case', goneCase]);
    expect(r.err).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect([r.code, r.signal]).toEqual([1, null]);
  });
});
