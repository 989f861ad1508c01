import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainInWorker } from '../../../src/engine/jobs/train.ts';
import { dirHandler, loadModel } from '../../../src/engine/model/io.ts';
import { classProbabilities } from '../../../src/engine/model/embed.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { beginEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { getEmbeddings, getModel } from '../../../src/engine/store/model.ts';
import { synthEvents } from '../sessions/synth.ts';

const tmp = mkdtempSync(join(tmpdir(), 'gumshoe-train-cross-fit-'));
const caseDir = join(tmp, 'case');

beforeAll(() => {
  // Ten hours of four synthetic actors: the actor cut gives each ~10 hour-long sessions, enough to be a class.
  const db = openCase(caseDir, { create: true });
  const ev = beginEvidence(db, { path: '/synthetic/audit.log', parent: null, container: 'file', size: null }).id;
  const rows = synthEvents(1200, 6, 600).map((e, i) => ({ ...e, origin: { evidenceId: ev, path: '/synthetic/audit.log', line: i + 1, record: 0 } }));
  insertEventBatch(db, rows, rows.map((e) => JSON.stringify({ auditID: e.auditID })));
  db.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('training job with cross-fitted class probabilities', () => {
  it('keeps the main model’s embeddings and stores the fold models’ probabilities instead of its own', async () => {
    const opts = { preset: 'actor', objective: 'actor', epochs: 3, hidden: 16, backend: 'cpu', seed: 3 } as const;
    const plain = await trainInWorker(caseDir, opts);
    expect(plain.crossFit).toBeNull();
    const fitted = await trainInWorker(caseDir, { ...opts, crossFit: true, skipSessions: true });
    expect(fitted.crossFit?.folds.map((f) => f.fold)).toEqual([0, 1]);
    expect(fitted.crossFit!.folds.reduce((s, f) => s + f.judged, 0)).toBe(fitted.sessions);
    for (const f of fitted.crossFit!.folds) expect(f.trainedOn + f.judged).toBe(fitted.sessions);
    const db = openCase(caseDir);
    try {
      const a = getEmbeddings(db, plain.embeddingRunId)!;
      const b = getEmbeddings(db, fitted.embeddingRunId)!;
      // Same seed, same sessions: the main model and its embeddings are the plain run's.
      expect(b.data).toEqual(a.data);
      const model = getModel(db, fitted.modelId)!;
      expect(model.config.crossFit).toBe(true);
      expect(getModel(db, plain.modelId)!.config.crossFit).toBe(false);
      const own = classProbabilities((await loadModel(dirHandler(join(caseDir, model.dir)))).gcn, b.data)!;
      expect(a.classProbs).toEqual(own);
      const L = (model.config.classes as string[]).length;
      expect(b.classProbs!.length).toBe(fitted.sessions * L);
      expect(b.classProbs).not.toEqual(own);
      for (let g = 0; g < fitted.sessions; g++) expect(b.classProbs!.subarray(g * L, (g + 1) * L).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    } finally {
      db.close();
    }
  });

  it('caps the fold models at their own epochs when asked, and records the cap with the model', async () => {
    const r = await trainInWorker(caseDir, { preset: 'actor', objective: 'actor', epochs: 3, hidden: 8, backend: 'cpu', crossFit: true, crossFitEpochs: 1, skipSessions: true });
    expect(r.epochsRun).toBe(3);
    expect(r.crossFit!.folds.map((f) => f.epochsRun)).toEqual([1, 1]);
    const db = openCase(caseDir);
    try {
      expect(getModel(db, r.modelId)!.config.crossFitEpochs).toBe(1);
    } finally {
      db.close();
    }
  });
});
