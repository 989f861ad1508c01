import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../../src/engine/store/db.ts';
import { beginEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { synthEvents } from '../../engine/sessions/synth.ts';
import { runCli } from '../run-cli.ts';

const run = runCli;

const root = mkdtempSync(join(tmpdir(), 'gumshoe-cli-train-'));
const caseDir = join(root, 'case');

beforeAll(() => {
  const db = openCase(caseDir, { create: true });
  const ev = beginEvidence(db, { path: '/synthetic/audit.log', parent: null, container: 'file', size: null }).id;
  const events = synthEvents(600, 4, 20).map((e, i) => ({ ...e, origin: { evidenceId: ev, path: '/synthetic/audit.log', line: i + 1, record: 0 } }));
  insertEventBatch(db, events, events.map((e) => JSON.stringify({ auditID: e.auditID })));
  db.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});


describe('gumshoe train and sessions', () => {
  it('trains, then lists the sessions it built', async () => {
    const t = await run('train', '--case', caseDir, '--preset', 'seed', '--epochs', '2', '--hidden', '8', '--backend', 'cpu', '--json');
    expect(t.code).toBe(0);
    const r = JSON.parse(t.out) as { preset: string; backend: string; sessions: number; epochsRun: number; validation: { micro: number } };
    expect(r).toMatchObject({ preset: 'seed', backend: 'cpu', sessions: 20, epochsRun: 2 });
    const s = await run('sessions', '--case', caseDir, '--json');
    expect(s.code).toBe(0);
    const rows = JSON.parse(s.out) as { id: number; preset: string; windowS: number; nodes: number; edges: number; events: number; verbs: string[] }[];
    expect(rows).toHaveLength(20);
    expect(rows.reduce((n, x) => n + x.events, 0)).toBe(600);
    expect(rows[0]).toMatchObject({ preset: 'seed', windowS: 60 });
    expect(rows[0].nodes).toBeGreaterThan(0);
    const text = await run('sessions', '--case', caseDir, '--limit', '2');
    expect(text.out.trim().split('\n')).toHaveLength(3);
  });

  it('takes the objective from --objective, and refuses one the preset cannot learn', async () => {
    // A 20-minute case gives each identity one actor session: by default too few to tell apart.
    const byDefault = await run('train', '--case', caseDir, '--preset', 'actor', '--epochs', '1', '--hidden', '8', '--backend', 'cpu', '--json');
    expect(byDefault.code).toBe(0);
    expect((JSON.parse(byDefault.out) as { objective: string }).objective).toBe('verbs');
    // Asked for, the actor objective is trained even so (its classes: "other" and what there is).
    const asked = await run('train', '--case', caseDir, '--preset', 'actor', '--objective', 'actor', '--epochs', '1', '--hidden', '8', '--backend', 'cpu');
    expect(asked.code).toBe(0);
    expect(asked.out).toMatch(/^objective actor: which identity a session is/m);
    expect((await run('train', '--case', caseDir, '--preset', 'seed', '--objective', 'actor')).err).toMatch(/'actor' objective needs actor sessions/);
    expect((await run('train', '--case', caseDir, '--objective', 'roles')).err).toMatch(/--objective: 'roles' is not one of verbs, actor/);
  });

  it('refuses bad options with a message', async () => {
    expect((await run('train', '--case', caseDir, '--preset', 'cluster')).err).toMatch(/--preset: 'cluster' is not one of seed, actor, actor-ip/);
    expect((await run('train', '--case', caseDir, '--hidden', '6')).err).toMatch(/multiple of 4/);
    expect((await run('train', '--case', caseDir, '--backend', 'gpu')).code).toBe(2);
    expect((await run('sessions', '--case', join(root, 'nope'))).err).toMatch(/no case at/);
  });
});
