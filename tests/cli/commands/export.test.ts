import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../../../src/engine/store/db.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';
import { buildIncidentCase, META } from '../../engine/report/incident-case.ts';
import { runCli } from '../run-cli.ts';

describe('gumshoe export', () => {
  let dir: string;
  let caseDir: string;
  beforeAll(async () => {
    const c = await buildIncidentCase();
    c.db.close();
    dir = c.dir;
    caseDir = join(c.dir, 'case');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to run with nothing to write, and --all-events without --json', async () => {
    expect((await runCli('export', '--case', caseDir)).code).toBe(2);
    const r = await runCli('export', '--case', caseDir, '--csv', join(dir, 'x.csv'), '--all-events');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--all-events goes into the JSON export');
  });

  it('writes every format in one run and journals each file with the examiner and its sha256', async () => {
    const f = (n: string) => join(dir, n);
    const r = await runCli('export', '--case', caseDir, '--pdf', f('r.pdf'), '--json', f('c.json'), '--all-events', '--timesketch', f('t.jsonl'), '--csv', f('t.csv'), '--stix', f('s.json'), '--navigator', f('n.json'));
    expect(r.code, r.err).toBe(0);
    for (const n of ['r.pdf', 'c.json', 't.jsonl', 't.csv', 's.json', 'n.json']) expect(existsSync(f(n)), n).toBe(true);
    expect(r.err).toMatch(/13 incidents, 4 findings/);
    const json = JSON.parse(readFileSync(f('c.json'), 'utf8')) as { allEvents: unknown[]; case: { examiner: string } };
    expect(json.allEvents).toHaveLength(9);
    expect(json.case.examiner).toBe(META.examiner);
    const db = openCase(caseDir);
    const entry = listJournal(db).filter((j) => j.action === 'export').at(-1)!;
    db.close();
    expect(entry.actor).toBe(META.examiner);
    const files = entry.detail.files as { kind: string; path: string; sha256: string }[];
    expect(files.map((x) => x.kind).sort()).toEqual(['csv', 'json', 'navigator', 'pdf', 'stix', 'timesketch']);
    for (const x of files) expect(x.sha256).toBe(createHash('sha256').update(readFileSync(x.path)).digest('hex'));
  });
});
