import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCaseHuntInput } from '../../../src/engine/hunt/case-hunt.ts';
import { caseEmbeddings, storeMissingClassProbabilities } from '../../../src/engine/hunt/model-link.ts';
import { runTraining } from '../../../src/engine/jobs/train-run.ts';
import { classProbabilities } from '../../../src/engine/model/embed.ts';
import { dirHandler, loadModel } from '../../../src/engine/model/io.ts';
import { openCase, type Db } from '../../../src/engine/store/db.ts';
import { beginEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { getEmbeddings, getModel } from '../../../src/engine/store/model.ts';
import { synthEvents } from '../sessions/synth.ts';

const tmp = mkdtempSync(join(tmpdir(), 'gumshoe-class-probs-'));
const caseDir = join(tmp, 'case');
let db: Db;

beforeAll(() => {
  db = openCase(caseDir, { create: true });
  const ev = beginEvidence(db, { path: '/synthetic/audit.log', parent: null, container: 'file', size: null }).id;
  // Ten hours of synthetic actors: the actor cut gives each ~10 hour-long sessions, enough to be a class.
  const rows = synthEvents(1200, 6, 600).map((e, i) => ({ ...e, origin: { evidenceId: ev, path: '/synthetic/audit.log', line: i + 1, record: 0 } }));
  insertEventBatch(db, rows, rows.map((e) => JSON.stringify({ auditID: e.auditID })));
});
afterAll(() => {
  db.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the actor model’s answer, from training to the hunt', () => {
  it('is stored with the trained embeddings (not the untrained map), reaches the hunt with its classes, and can be stored later', async () => {
    const r = await runTraining(db, caseDir, { preset: 'actor', objective: 'actor', epochs: 2, hidden: 16, backend: 'cpu' });
    expect(getEmbeddings(db, r.untrainedRunId!)!.classProbs).toBeNull();
    const run = getEmbeddings(db, r.embeddingRunId)!;
    const rec = getModel(db, r.modelId)!;
    const classes = rec.config.classes as string[];
    expect(classes.length).toBeGreaterThan(2);
    expect(run.classProbs!.length).toBe(run.sessionIds.length * classes.length);
    const model = await loadModel(dirHandler(join(caseDir, rec.dir)));
    const fromSaved = classProbabilities(model.gcn, run.data)!;
    model.gcn.dispose();
    for (let i = 0; i < fromSaved.length; i++) expect(run.classProbs![i]).toBeCloseTo(fromSaved[i], 6);

    const e = caseEmbeddings(db, 'actor')!;
    expect(e.set.actorClasses!.classes).toEqual(classes);
    expect(e.set.actorClasses!.probs).toEqual(run.classProbs);

    // A run stored before migration 036: nothing reaches the hunt until the probabilities are stored.
    db.prepare('update embedding_runs set class_probs = null where id = ?').run(run.runId);
    expect(caseEmbeddings(db, 'actor')!.set.actorClasses).toBeUndefined();
    // ... of the asked preset's run, not another preset's
    expect(await storeMissingClassProbabilities(db, caseDir, 'seed')).toBe(false);
    expect(getEmbeddings(db, run.runId)!.classProbs).toBeNull();
    expect(await storeMissingClassProbabilities(db, caseDir, 'actor')).toBe(true);
    expect(getEmbeddings(db, run.runId)!.classProbs).toEqual(fromSaved);
    expect(caseEmbeddings(db, 'actor')!.set.actorClasses!.probs).toEqual(fromSaved);
    expect(await storeMissingClassProbabilities(db, caseDir)).toBe(false);

    // The hunt over the case stores them itself, so an older case gets the verdict without a retrain.
    db.prepare('update embedding_runs set class_probs = null where id = ?').run(run.runId);
    const input = await loadCaseHuntInput(db, { caseDir, preset: 'actor' });
    expect(getEmbeddings(db, run.runId)!.classProbs).toEqual(fromSaved);
    expect(input.embeddings?.set.actorClasses?.probs).toEqual(fromSaved);
  });

  it('is not made for a model trained on the verbs', async () => {
    const r = await runTraining(db, caseDir, { preset: 'actor', objective: 'verbs', epochs: 1, hidden: 8, backend: 'cpu', skipSessions: true });
    expect(getEmbeddings(db, r.embeddingRunId)!.classProbs).toBeNull();
    expect(caseEmbeddings(db, 'actor')!.set.actorClasses).toBeUndefined();
    expect(await storeMissingClassProbabilities(db, caseDir)).toBe(false);
  });
});
