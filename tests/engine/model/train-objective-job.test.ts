import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainInWorker } from '../../../src/engine/jobs/train.ts';
import { OTHER_ACTOR } from '../../../src/engine/model/objective.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { beginEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { getEmbeddings, latestModel } from '../../../src/engine/store/model.ts';
import { synthEvents } from '../sessions/synth.ts';

const tmp = mkdtempSync(join(tmpdir(), 'gumshoe-train-objective-'));
const caseDir = join(tmp, 'case');
const shortCase = join(tmp, 'short');

function makeCase(dir: string, events: number, minutes: number): void {
  const db = openCase(dir, { create: true });
  const ev = beginEvidence(db, { path: '/synthetic/audit.log', parent: null, container: 'file', size: null }).id;
  const rows = synthEvents(events, 6, minutes).map((e, i) => ({ ...e, origin: { evidenceId: ev, path: '/synthetic/audit.log', line: i + 1, record: 0 } }));
  insertEventBatch(db, rows, rows.map((e) => JSON.stringify({ auditID: e.auditID })));
  db.close();
}

beforeAll(() => {
  // Ten hours of four synthetic actors: the actor cut gives each ~10 hour-long sessions, enough to be a class.
  makeCase(caseDir, 1200, 600);
  // Under an hour: one session per actor, no identity with a habit.
  makeCase(shortCase, 300, 50);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('training job with the actor objective', () => {
  it('trains on the case identities, records the objective with the model, and an import embeds the same way', async () => {
    const r = await trainInWorker(caseDir, { preset: 'actor', objective: 'actor', epochs: 3, hidden: 16, backend: 'cpu' });
    expect(r.objective).toBe('actor');
    const classes = Object.keys(r.validation!.perVerb);
    expect(classes.at(-1)).toBe(OTHER_ACTOR);
    expect(classes.length).toBeGreaterThan(2);
    const db = openCase(caseDir);
    try {
      const model = latestModel(db, 'actor')!;
      expect(model.config).toMatchObject({ objective: 'actor', classes, labels: classes.length });
      expect((model.metrics as { objective?: string }).objective).toBe('actor');
      const after = getEmbeddings(db)!;
      // The imported model hides the same nodes, so it gives the same embeddings from the raw graphs.
      const imp = await trainInWorker(caseDir, { modelDir: join(caseDir, model.dir), backend: 'cpu', skipSessions: true });
      expect(imp.objective).toBe('actor');
      expect(getEmbeddings(db, imp.embeddingRunId)!.data).toEqual(after.data);
    } finally {
      db.close();
    }
  });

  it('falls back to the verbs by default when no two identities have a habit to tell apart', async () => {
    const r = await trainInWorker(shortCase, { preset: 'actor', epochs: 1, hidden: 8, backend: 'cpu' });
    expect(r.objective).toBe('verbs');
    expect(Object.keys(r.validation!.perVerb)).toContain('get');
  });

  it('refuses the actor objective on clock slices of the whole cluster', async () => {
    await expect(trainInWorker(caseDir, { preset: 'seed', objective: 'actor', epochs: 1, hidden: 8, backend: 'cpu' })).rejects.toThrow(/needs actor sessions/);
  });
});
