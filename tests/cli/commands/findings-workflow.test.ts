import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../../../src/engine/store/db.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';
import { buildCase } from '../../engine/report/case-fixture.ts';
import { describeWithCorpus } from '../../corpus.ts';
import { termSafe } from '../../../src/cli/sanitize.ts';
import { runCli } from '../run-cli.ts';

const run = runCli;

/** Run the CLI in-process, capturing stdout and stderr. */

describeWithCorpus('CLI findings workflow (built on audit2rbac demo.log)')('gumshoe hunt, findings, triage, note, export', () => {
  let dir: string;
  let caseDir: string;
  beforeAll(async () => {
    const c = await buildCase();
    c.db.close();
    dir = c.dir;
    caseDir = join(c.dir, 'case');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hunts with the built-in rules and lists findings as JSON, riskiest first', async () => {
    const h = await run('hunt', '--case', caseDir, '--json');
    expect(h.code).toBe(0);
    const r = JSON.parse(h.out) as { metrics: { ruleHits: number; findings: number }; findings: { id: string; score: number }[] };
    expect(r.metrics.ruleHits).toBeGreaterThan(0);
    const f = await run('findings', '--case', caseDir, '--json');
    const list = JSON.parse(f.out) as { id: string; score: number; auditIDs: string[] }[];
    expect(list.length).toBe(r.metrics.findings);
    expect(list.map((x) => x.score)).toEqual([...list.map((x) => x.score)].sort((a, b) => b - a));
    expect((await run('findings', '--case', caseDir, '--severity', 'nope')).code).toBe(2);
    expect((await run('hunt', '--case', caseDir, '--contamination', '0.9')).code).toBe(2);
  });

  it('triages and notes a finding, filters by state, and journals each action', async () => {
    const [first] = JSON.parse((await run('findings', '--case', caseDir, '--json', '--limit', '1')).out) as { id: string }[];
    expect((await run('triage', '--case', caseDir, '--finding', first.id, 'malicious', '--note', 'confirmed with the owner')).code).toBe(0);
    expect((await run('note', '--case', caseDir, '--finding', first.id, 'second look')).code).toBe(0);
    expect((await run('triage', '--case', caseDir, '--finding', first.id, 'maybe')).code).toBe(2);
    expect((await run('note', '--case', caseDir, '--finding', 'F-0000000000', 'x')).code).toBe(2);
    const mal = JSON.parse((await run('findings', '--case', caseDir, '--json', '--state', 'malicious')).out) as { id: string }[];
    expect(mal.map((f) => f.id)).toEqual([first.id]);
    const db = openCase(caseDir, { readonly: true });
    expect(listJournal(db, first.id).map((j) => j.action)).toEqual(['triage', 'note', 'note']);
    db.close();
  });

  it('exports JSON and PDF, refusing to run with nothing to write', async () => {
    expect((await run('export', '--case', caseDir)).code).toBe(2);
    const json = join(dir, 'out.json');
    const pdf = join(dir, 'out.pdf');
    const r = await run('export', '--case', caseDir, '--json', json, '--pdf', pdf, '--examiner', 'A. Analyst');
    expect(r.code).toBe(0);
    expect(existsSync(json) && existsSync(pdf)).toBe(true);
    expect((JSON.parse(readFileSync(json, 'utf8')) as { case: { examiner: string } }).case.examiner).toBe('A. Analyst');
    expect(r.err).toMatch(/wrote pdf/);
  });

  it('keeps terminal control sequences in log strings inert', () => {
    expect(termSafe('\u001b[2Jevil\u202Etxt')).toBe('\\x1b[2Jevil\\u202etxt');
  });
});
