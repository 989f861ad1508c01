import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStage } from '../../../src/engine/case/stages.ts';
import { CASE_DB, openCase } from '../../../src/engine/store/db.ts';
import { listSessions } from '../../../src/engine/store/sessions.ts';
import { UserError } from '../../../src/engine/util/errors.ts';

const FIXTURE = new URL('../../fixtures/audit-demo.log', import.meta.url).pathname;

describe('runStage: one entry for every stage of a case', () => {
  let root: string;
  let caseDir: string;
  let evidence: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'gumshoe-stages-'));
    caseDir = join(root, 'case');
    evidence = join(root, 'audit.log');
    copyFileSync(FIXTURE, evidence);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('runs ingest, sessions, hunt, export and verify on a case given by its directory, each leaving its output in the store', async () => {
    const stagesSeen = new Set<string>();
    const onProgress = (p: { stage: string }): void => void stagesSeen.add(p.stage);

    const ing = await runStage(caseDir, 'ingest', { paths: [evidence] }, { onProgress });
    expect(ing.events).toBeGreaterThan(30);
    expect(existsSync(join(caseDir, CASE_DB))).toBe(true);

    const built = await runStage(caseDir, 'sessions', { preset: 'actor' }, { onProgress });
    expect(built.events).toBe(ing.events);
    const db = openCase(caseDir, { readonly: true });
    try {
      expect(listSessions(db, { preset: 'actor' })).toHaveLength(built.sessions);
    } finally {
      db.close();
    }

    const hunt = await runStage(caseDir, 'hunt', { preset: 'actor' }, { onProgress });
    expect(hunt.runId).toBeGreaterThan(0);
    expect(hunt.preset).toBe('actor');

    const jsonPath = join(root, 'case.json');
    const exp = await runStage(caseDir, 'export', { jsonPath }, { onProgress });
    expect(exp.files.map((f) => f.kind)).toEqual(['json']);
    const written = JSON.parse(readFileSync(jsonPath, 'utf8')) as { evidence: { verification: { status: string } }[] };
    expect(written.evidence.map((e) => e.verification.status)).toEqual(['match']);

    const verified = await runStage(caseDir, 'verify', {}, { onProgress });
    expect(verified.evidence.map((r) => r.status)).toEqual(['ok']);
    expect(verified.store.map((r) => r.status)).toEqual(['ok']);
    expect([...stagesSeen]).toEqual(expect.arrayContaining(['sessions', 'verify']));
  });

  it('leaves a connection the caller passed open, and closes only what it opened', async () => {
    const db = openCase(caseDir, { create: true });
    try {
      await runStage({ dir: caseDir, db }, 'ingest', { paths: [evidence] });
      await runStage({ dir: caseDir, db }, 'sessions', { preset: 'seed' });
      expect(db.open).toBe(true);
      expect(listSessions(db, { preset: 'seed' }).length).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('refuses a stage other than ingest on a directory that holds no case, creating nothing', async () => {
    await expect(runStage(caseDir, 'hunt', {})).rejects.toBeInstanceOf(UserError);
    await expect(runStage(caseDir, 'verify', {})).rejects.toThrow(/no case at/);
    expect(existsSync(caseDir)).toBe(false);
  });
});
