import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../src/engine/hunt/types.ts';
import { ingest } from '../../src/engine/jobs/ingest.ts';
import { openCase } from '../../src/engine/store/db.ts';
import { saveHuntRun } from '../../src/engine/store/findings.ts';
import { syntheticAuditLines } from '../../bench/synthetic-audit.ts';
import { runCli } from './run-cli.ts';

// What a hostile cluster can put in a log: erase the line and forge one (ESC [2K, CR), back over
// text (BS), a one-byte C1 CSI, a bidi override that makes 'exe.gnp' read 'png.exe', a newline
// that forges a table row, a zero-width joiner and an invisible tag character.
const FORGED_USER = 'mallory\u001b[2K\rFAKE admin deleted everything';
const UA = 'kubectl\u202Egnp.exe';
const NAME = 'web\b\b\bsafe\u009b31m\u200d\u{E0041}';
const NS = 'prod\nFAKE ROW';
// Any raw control or invisible character, except the newline that ends each of our own lines.
const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const rawOutside = (text: string): string[] => text.split('\n').filter((l) => RAW.test(l));

let root = '';
let caseDir = '';
const readerUrl = new URL('../engine/jobs/fake-reader.ts', import.meta.url);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gumshoe-termsafe-'));
  caseDir = join(root, 'case');
  const lines: string[] = [];
  for (const l of syntheticAuditLines({ seed: 5, receivedStageRate: 0 })) {
    lines.push(l);
    if (lines.length === 20) break;
  }
  const hostile = JSON.parse(lines[3]) as Record<string, unknown> & { user: Record<string, unknown>; objectRef: Record<string, unknown> };
  hostile.auditID = 'hostile-0001';
  hostile.user = { ...hostile.user, username: FORGED_USER };
  hostile.userAgent = UA;
  hostile.objectRef = { ...hostile.objectRef, namespace: NS, name: NAME };
  lines.push(JSON.stringify(hostile));
  // The evidence file's own name is attacker-chosen too (an archive member, a collected file).
  const file = join(root, 'audit\u001b]0;pwned\u0007.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const db = openCase(caseDir, { create: true });
  await ingest(db, [file], { readerUrl });
  const finding: Finding = {
    id: 'F-0001',
    kind: 'rule',
    start: '2026-11-02T09:00:00.000000Z',
    end: '2026-11-02T09:01:00.000000Z',
    startUs: 0,
    endUs: 60e6,
    score: 0.9,
    severity: 'high',
    techniques: ['T1485'],
    users: [FORGED_USER],
    sourceIPs: [],
    auditIDs: ['hostile-0001'],
    ruleIds: ['GS-TEST'],
    title: `Secret deleted by ${FORGED_USER}`,
    reasons: [{ kind: 'rule', text: `${FORGED_USER} via ${UA} on ${NAME}`, auditIDs: ['hostile-0001'] }],
  };
  saveHuntRun(db, { startedAt: new Date().toISOString(), config: {}, metrics: {} }, [finding]);
  db.close();
  return () => rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('log text on the terminal', () => {
  it('info prints no raw control or bidi character, and shows each as a visible escape', async () => {
    const { code, out } = await runCli('info', '--case', caseDir);
    expect(code).toBe(0);
    expect(rawOutside(out)).toEqual([]);
    expect(out).toContain('mallory\\x1b[2K\\x0dFAKE admin deleted everything');
    expect(out).toContain('audit\\x1b]0;pwned\\x07.log');
  });

  it('events keeps the forged user, user agent, name and newline inside their cells', async () => {
    const { code, out } = await runCli('events', '--case', caseDir, '--user', FORGED_USER);
    expect(code).toBe(0);
    expect(rawOutside(out)).toEqual([]);
    const rows = out.trim().split('\n');
    // Header and one row: the newline in the namespace did not forge a second one.
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('prod\\x0aFAKE ROW/');
    expect(rows[1]).toContain('/web\\x08\\x08\\x08safe\\x9b31m\\u200d\\u{e0041}');
  });

  it('findings escapes the title and reasons', async () => {
    const { code, out } = await runCli('findings', '--case', caseDir);
    expect(code).toBe(0);
    expect(rawOutside(out)).toEqual([]);
    expect(out).toContain('Secret deleted by mallory\\x1b[2K\\x0dFAKE');
    expect(out).toContain('kubectl\\u202egnp.exe');
  });

  it('verify shows an evidence path with escapes in it escaped', async () => {
    const { out } = await runCli('verify', '--case', caseDir);
    expect(rawOutside(out)).toEqual([]);
    expect(out).toContain('audit\\x1b]0;pwned\\x07.log');
  });

  it('--json leaves no raw bidi or C1 character (JSON.stringify would) and parses back to the exact strings', async () => {
    expect(JSON.stringify(UA)).toContain('\u202E');
    const events = await runCli('events', '--case', caseDir, '--user', FORGED_USER, '--json');
    expect(RAW.test(events.out.trimEnd())).toBe(false);
    const e = JSON.parse(events.out) as { user: string; userAgent: string; name: string; namespace: string };
    expect([e.user, e.userAgent, e.name, e.namespace]).toEqual([FORGED_USER, UA, NAME, NS]);
    const findings = await runCli('findings', '--case', caseDir, '--json');
    expect(RAW.test(findings.out.trimEnd())).toBe(false);
    expect((JSON.parse(findings.out) as Finding[])[0].reasons[0].text).toBe(`${FORGED_USER} via ${UA} on ${NAME}`);
    const info = await runCli('info', '--case', caseDir, '--json');
    expect(RAW.test(info.out.trimEnd())).toBe(false);
    expect((JSON.parse(info.out) as { topUsers: { value: string }[] }).topUsers.map((u) => u.value)).toContain(FORGED_USER);
  });
});
