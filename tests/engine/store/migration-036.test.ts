import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { migrations } from '../../../src/engine/store/migrations/index.ts';
import { getEmbeddings, insertModel, saveClassProbabilities, saveEmbeddingRun } from '../../../src/engine/store/model.ts';

const before036 = migrations.filter((m) => m.version < 36);

describe('migration 036 (class probabilities beside an embedding run)', () => {
  it('keeps a run stored before it, without probabilities, and stores them for a new run', () => {
    const db = new Database(':memory:');
    expect(migrate(db, before036)).toBe(35);
    // A run as the release before stored it: no class_probs column to fill.
    db.prepare("insert into embedding_runs (model_id, kind, preset, window_us, created_at, dim, count, session_ids, data) values (null, 'trained', 'actor', 1800000000, 'then', 1, 2, ?, ?)").run(
      Buffer.from(Int32Array.from([4, 9]).buffer),
      Buffer.from(Float32Array.from([0.5, -0.5]).buffer),
    );
    expect(migrate(db, migrations)).toBe(36);
    const old = getEmbeddings(db)!;
    expect(Array.from(old.sessionIds)).toEqual([4, 9]);
    expect(old.classProbs).toBeNull();

    const m = insertModel(db, { preset: 'actor', windowUs: 1800e6, config: { objective: 'actor', classes: ['alice', '(other)'] }, backend: 'cpu', metrics: {}, imported: false });
    const probs = Float32Array.from([0.75, 0.25, 0.125, 0.875]);
    const id = saveEmbeddingRun(db, { modelId: m.id, kind: 'trained', preset: 'actor', windowUs: 1800e6, sessionIds: Int32Array.from([4, 9]), dim: 1, data: Float32Array.from([1, 2]), projection: null, classProbs: probs });
    expect(getEmbeddings(db, id)!.classProbs).toEqual(probs);
  });

  it('lets a run stored without probabilities get them later, one row of classes per session', () => {
    const db = new Database(':memory:');
    migrate(db, migrations);
    const id = saveEmbeddingRun(db, { modelId: null, kind: 'trained', preset: 'actor', windowUs: 1800e6, sessionIds: Int32Array.from([1, 2, 3]), dim: 1, data: Float32Array.from([1, 2, 3]), projection: null });
    expect(getEmbeddings(db, id)!.classProbs).toBeNull();
    expect(() => saveClassProbabilities(db, id, new Float32Array(4))).toThrow(/not a row per session/);
    expect(() => saveClassProbabilities(db, id + 1, new Float32Array(3))).toThrow(/no embedding run/);
    const probs = Float32Array.from([0.5, 0.5, 1, 0, 0.25, 0.75]);
    saveClassProbabilities(db, id, probs);
    expect(getEmbeddings(db, id)!.classProbs).toEqual(probs);
  });
});
