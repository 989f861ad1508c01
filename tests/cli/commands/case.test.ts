import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCase } from '../../../src/engine/store/db.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';
import { runCli } from '../run-cli.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('gumshoe case', () => {
  it('sets the examiner and case fields once and shows them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gumshoe-case-'));
    dirs.push(dir);
    openCase(dir, { create: true }).close();
    const set = await runCli('case', '--case', dir, '--examiner', 'Dana Reyes', '--number', 'IR-2026-041', '--requester', 'CISO', '--scope', 'prod cluster, 4–6 March');
    expect(set.code).toBe(0);
    expect(set.out).toContain('examiner    Dana Reyes');
    expect(set.out).toContain('summary     —');
    const shown = await runCli('case', '--case', dir, '--json');
    expect(JSON.parse(shown.out)).toEqual({ examiner: 'Dana Reyes', caseNumber: 'IR-2026-041', requester: 'CISO', scope: 'prod cluster, 4–6 March', summary: null, conclusions: null });
    const db = openCase(dir);
    expect(listJournal(db).filter((e) => e.action === 'case').map((e) => e.actor)).toEqual(['Dana Reyes']);
    db.close();
  });
});
