import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalItem } from '../../../src/shared/contract.ts';
import { formatBytes } from '../../../src/shared/format.ts';
import { ApiService } from '../../../src/engine/api/service.ts';
import { runStage } from '../../../src/engine/case/stages.ts';
import { setCaseMeta } from '../../../src/engine/store/case-meta.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';
import { callers, incidentService } from './fixtures/incident-service.ts';

const FIXTURE = new URL('../../fixtures/audit-demo.log', import.meta.url).pathname;

let dir: string;
let service: ApiService;

const { call, ok } = callers(() => service);

beforeAll(async () => {
  ({ dir, service } = await incidentService());
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('journal.list: the case journal as the chain-of-custody record', () => {
  it('records the examiner on notes, triage and exports once one is set, and lists them newest first with their authors', async () => {
    const before = (await ok('journal.list', {})).total;
    await ok('case.setMeta', { examiner: 'Dana Reyes' });
    await ok('findings.setTriage', { findingId: 'F-delete', state: 'investigating' });
    await ok('notes.add', { findingId: 'F-delete', text: 'the secret was re-created by the operator\nten minutes later' });
    await ok('notes.add', { text: 'case opened for legal hold' });
    const path = join(dir, 'journal.stix.json');
    const exported = await ok('export.run', { format: 'stix', path });

    const page = await ok('journal.list', { limit: 5 });
    expect(page.total).toBe(before + 5);
    const [exp, caseNote, findingNote, triage, meta] = page.rows;
    expect(page.rows.map((r) => r.action)).toEqual(['export', 'note', 'note', 'triage', 'case']);
    expect(page.rows.map((r) => r.actor)).toEqual(Array(5).fill('Dana Reyes'));
    // Newest first: ids fall down the page.
    expect(page.rows.map((r) => r.id)).toEqual([...page.rows.map((r) => r.id)].sort((a, b) => b - a));
    expect(exp.summary).toBe(`exported STIX 2.1 bundle to ${path}, ${formatBytes(exported.bytes)}, sha256 ${exported.sha256.slice(0, 12)}…`);
    expect(exported.bytes).toBeGreaterThan(1000);
    expect(caseNote).toMatchObject({ findingId: null, summary: 'note: “case opened for legal hold”' });
    expect(findingNote).toMatchObject({ findingId: 'F-delete', summary: 'note: “the secret was re-created by the operator ten minutes later”' });
    expect(triage).toMatchObject({ findingId: 'F-delete', summary: 'triage new → investigating' });
    expect(meta.summary).toBe('case fields: examiner set to “Dana Reyes”');

    // The notes and triage calls carry the author too.
    const notes = await ok('notes.list', { findingId: 'F-delete' });
    expect(notes.at(-1)).toMatchObject({ by: 'Dana Reyes', text: expect.stringContaining('re-created') });
    const history = await ok('triage.history', { findingId: 'F-delete' });
    expect(history.at(-1)).toMatchObject({ from: 'new', to: 'investigating', by: 'Dana Reyes' });
    const added = await ok('notes.add', { findingId: 'F-delete', text: 'second look' });
    expect(added.by).toBe('Dana Reyes');
  });

  it('pages without overlap and filters by action', async () => {
    const all = await ok('journal.list', { limit: 1000 });
    const ids: number[] = [];
    for (let offset = 0; offset < all.total; offset += 2) {
      const p = await ok('journal.list', { offset, limit: 2 });
      expect(p.total).toBe(all.total);
      ids.push(...p.rows.map((r) => r.id));
    }
    expect(ids).toEqual(all.rows.map((r) => r.id));

    const notes = await ok('journal.list', { action: ['note', 'triage'] });
    expect(new Set(notes.rows.map((r) => r.action))).toEqual(new Set(['note', 'triage']));
    expect(notes.total).toBe(all.rows.filter((r) => r.action === 'note' || r.action === 'triage').length);
    const bad = await call('journal.list', { action: ['drop-table' as 'note'] });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('invalid-argument');
  });

  it('links an incident triage to its incident, and a session note to its session', async () => {
    // The fixture's analyst already marked the incident malicious.
    await ok('incidents.setTriage', { incidentId: 'INC-alice-0001', state: 'benign_true_positive' });
    const [row] = (await ok('journal.list', { action: ['triage'], limit: 1 })).rows as [JournalItem];
    expect(row).toMatchObject({ incidentId: 'INC-alice-0001', findingId: null, actor: 'Dana Reyes', summary: 'triage of the incident malicious → benign true positive' });
    await ok('notes.add', { sessionId: 7, text: 'the backup window' });
    const [note] = (await ok('journal.list', { action: ['note'], limit: 1 })).rows as [JournalItem];
    expect(note).toMatchObject({ sessionId: 7, findingId: null, incidentId: null, summary: 'note: “the backup window”' });
  });
});

describe('the pipeline stages journal what they did to the case', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gumshoe-journal-stages-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('journals ingest and sessions, with the examiner as actor once one is set', async () => {
    const caseDir = join(root, 'case');
    const first = join(root, 'audit.log');
    copyFileSync(FIXTURE, first);
    const ing = await runStage(caseDir, 'ingest', { paths: [first] });
    const db = openCase(caseDir);
    try {
      setCaseMeta(db, { examiner: 'Sam Okafor' });
      const built = await runStage({ dir: caseDir, db }, 'sessions', { preset: 'actor' });
      // The same file again: nothing new, and the journal says so.
      await runStage({ dir: caseDir, db }, 'ingest', { paths: [first] });
      const stages = listJournal(db).filter((e) => e.action === 'ingest' || e.action === 'sessions');
      expect(stages.map((e) => [e.action, e.actor])).toEqual([
        ['ingest', null],
        ['sessions', 'Sam Okafor'],
        ['ingest', 'Sam Okafor'],
      ]);
      expect(stages[0].detail).toMatchObject({ paths: [first], files: 1, events: ing.events, recordErrors: ing.errors.total });
      expect(stages[1].detail).toMatchObject({ preset: 'actor', sessions: built.sessions, events: built.events });
      expect(stages[2].detail).toMatchObject({ files: 0, events: 0, unchangedFiles: 1 });

      // Training, in place as a job worker runs it.
      const trained = await runStage({ dir: caseDir, db }, 'train', { preset: 'actor', epochs: 1, seed: 1 });
      const [train] = listJournal(db).filter((e) => e.action === 'train');
      expect(train.actor).toBe('Sam Okafor');
      expect(train.detail).toMatchObject({ modelId: trained.modelId, backend: trained.backend, sessions: trained.sessions, epochs: trained.epochsRun, validationF1: trained.validation?.micro ?? null });
    } finally {
      db.close();
    }
  });

  it('journals training on a thread of its own (as the CLI trains), on a case given by directory', async () => {
    const caseDir = join(root, 'cli-case');
    await runStage(caseDir, 'ingest', { paths: [FIXTURE] });
    const db = openCase(caseDir);
    setCaseMeta(db, { examiner: 'Sam Okafor' });
    db.close();
    const trained = await runStage(caseDir, 'train', { preset: 'actor', epochs: 1, seed: 1, inWorker: true });
    const check = openCase(caseDir, { readonly: true });
    try {
      const train = listJournal(check).filter((e) => e.action === 'train');
      expect(train.map((e) => [e.actor, e.detail.modelId])).toEqual([['Sam Okafor', trained.modelId]]);
    } finally {
      check.close();
    }
  });
});
