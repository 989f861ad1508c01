import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../src/engine/jobs/ingest.ts';
import { openCase } from '../../src/engine/store/db.ts';
import { syntheticAuditLines } from '../../bench/synthetic-audit.ts';
import { runCli } from './run-cli.ts';

const run = runCli;

const readerUrl = new URL('../engine/jobs/fake-reader.ts', import.meta.url);
let root = '';
let caseDir = '';
let logFile = '';
const lines: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gumshoe-cli-'));
  caseDir = join(root, 'case');
  logFile = join(root, 'audit.log');
  for (const l of syntheticAuditLines({ seed: 11, receivedStageRate: 0 })) {
    lines.push(l);
    if (lines.length === 300) break;
  }
  writeFileSync(logFile, [...lines, 'garbage'].join('\n') + '\n');
  const db = openCase(caseDir, { create: true });
  await ingest(db, [logFile], { readerUrl });
  db.close();
  return () => rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const parse = () => lines.map((l) => JSON.parse(l) as { auditID: string; verb: string; user: { username: string }; requestReceivedTimestamp: string; responseStatus: { code: number } });

describe('gumshoe info', () => {
  it('reports events, the time range, evidence hashes and errors with file:line', async () => {
    const { code, out } = await run('info', '--case', caseDir, '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out) as { events: number; from: string; evidence: { path: string; sha256: string }[]; errors: { total: number; first: { path: string; line: number }[] } };
    expect(s.events).toBe(300);
    expect(s.from).toBe(parse().map((p) => p.requestReceivedTimestamp).sort()[0]);
    expect(s.evidence[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s.errors.first[0]).toMatchObject({ path: logFile, line: 301 });
    const text = await run('info', '--case', caseDir);
    expect(text.out).toContain(`${logFile}:301`);
  });

  it('says so when there is no case', async () => {
    const { code, err } = await run('info', '--case', join(root, 'nope'));
    expect(code).toBe(2);
    expect(err).toMatch(/no case at/);
  });
});

describe('gumshoe events', () => {
  it('filters and gives each event with its original record', async () => {
    const bob = parse().filter((p) => p.user.username === 'bob@example.com' && p.verb === 'get');
    const { code, out } = await run('events', '--case', caseDir, '--json', '--user', 'bob@example.com', '--verb', 'get');
    expect(code).toBe(0);
    const got = out.trim().split('\n').map((l) => JSON.parse(l) as { auditID: string; raw: string; timeUs: number });
    expect(got.map((g) => g.auditID).sort()).toEqual(bob.map((b) => b.auditID).sort());
    expect(got.map((g) => g.raw)).toEqual(got.map((g) => lines.find((l) => l.includes(g.auditID))));
    expect(got.map((g) => g.timeUs)).toEqual(got.map((g) => g.timeUs).sort((a, b) => a - b));
  });

  it('applies a time window and a limit, as an aligned table', async () => {
    const sorted = parse().map((p) => p.requestReceivedTimestamp).sort();
    const { out } = await run('events', '--case', caseDir, '--from', sorted[10], '--to', sorted[20], '--limit', '5');
    const rows = out.trim().split('\n');
    expect(rows[0]).toMatch(/^TIME\s+VERB\s+CODE\s+USER/);
    expect(rows).toHaveLength(6);
    expect(rows[1].startsWith(sorted[10])).toBe(true);
    expect(new Set(rows.map((r) => r.indexOf('  ', 27)))).toHaveProperty('size', 1);
  });

  it('rejects a malformed time', async () => {
    const { code, err } = await run('events', '--case', caseDir, '--from', 'yesterday');
    expect(code).toBe(2);
    expect(err).toMatch(/RFC 3339/);
  });
});

describe('gumshoe verify', () => {
  it('passes on untouched evidence, then fails once a byte changes or the file goes', async () => {
    expect((await run('verify', '--case', caseDir)).code).toBe(0);
    appendFileSync(logFile, '\n');
    const changed = await run('verify', '--case', caseDir, '--json');
    expect(changed.code).toBe(1);
    expect((JSON.parse(changed.out) as { results: { status: string }[] }).results[0].status).toBe('changed');
    rmSync(logFile);
    const missing = await run('verify', '--case', caseDir);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/^missing/);
  });
});
