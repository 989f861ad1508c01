import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../../src/engine/store/db.ts';
import { beginEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { getEmbeddings, latestModel } from '../../../src/engine/store/model.ts';
import { listSessions } from '../../../src/engine/store/sessions.ts';
import { TrainJobCancelled, trainInWorker } from '../../../src/engine/jobs/train.ts';
import type { Progress } from '../../../src/engine/util/progress.ts';
import { synthEvents } from '../sessions/synth.ts';

const tmp = mkdtempSync(join(tmpdir(), 'gumshoe-train-job-'));
const caseDir = join(tmp, 'case');

beforeAll(() => {
  const db = openCase(caseDir, { create: true });
  const ev = beginEvidence(db, { path: '/synthetic/audit.log', parent: null, container: 'file', size: null }).id;
  // Ten hours: the actor cut caps a session at an hour, so the four actors give ~40 sessions to train and validate on.
  const events = synthEvents(1200, 6, 600).map((e, i) => ({ ...e, origin: { evidenceId: ev, path: '/synthetic/audit.log', line: i + 1, record: 0 } }));
  insertEventBatch(db, events, events.map((e) => JSON.stringify({ auditID: e.auditID })));
  db.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('training job in a worker', () => {
  it('builds sessions, trains, stores the model and both embedding maps, and re-embeds with an imported model', async () => {
    const progress: Progress[] = [];
    const r = await trainInWorker(caseDir, { preset: 'actor', epochs: 3, hidden: 16, backend: 'cpu' }, { onProgress: (p) => progress.push(p) });
    expect(r.backend).toBe('cpu');
    expect(r.epochsRun).toBe(3);
    expect(r.validation!.micro).toBeGreaterThan(0);
    expect([...new Set(progress.map((p) => p.stage))]).toEqual(expect.arrayContaining(['sessions', 'embed (untrained)', 'train', 'embed']));
    expect(progress.some((p) => p.stage === 'train' && /val F1/.test(p.detail ?? ''))).toBe(true);
    // The live curve: the last training update carries every epoch, in order, with a loss.
    const curve = progress.filter((p) => p.stage === 'train' && p.epochs).at(-1)?.epochs ?? [];
    expect(curve.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(curve.every((e) => Number.isFinite(e.loss))).toBe(true);
    const db = openCase(caseDir);
    try {
      const sessions = listSessions(db, { preset: 'actor' });
      expect(sessions.length).toBe(r.sessions);
      const model = latestModel(db, 'actor')!;
      expect(model.backend).toBe('cpu');
      expect(existsSync(join(caseDir, model.dir, 'model.json'))).toBe(true);
      const after = getEmbeddings(db)!;
      expect(after.kind).toBe('trained');
      expect(after.dim).toBe(16);
      expect(Array.from(after.sessionIds)).toEqual(sessions.map((s) => s.id));
      expect(after.projection!.length).toBe(sessions.length * 2);
      const before = getEmbeddings(db, undefined, 'untrained')!;
      expect(before.data).not.toEqual(after.data);

      const imp = await trainInWorker(caseDir, { modelDir: join(caseDir, model.dir), backend: 'cpu', skipSessions: true });
      expect(imp.imported).toBe(true);
      expect(imp.preset).toBe('actor');
      const again = getEmbeddings(db, imp.embeddingRunId)!;
      expect(again.kind).toBe('imported');
      expect(again.data).toEqual(after.data);
    } finally {
      db.close();
    }
  });

  it('stops when cancelled', async () => {
    const abort = new AbortController();
    const job = trainInWorker(caseDir, { preset: 'seed', epochs: 50, hidden: 16, backend: 'cpu' }, {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.stage === 'train') abort.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(TrainJobCancelled);
  });
});
