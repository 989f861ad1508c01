import { describe, expect, it } from 'vitest';
import { openMemory } from '../../../src/engine/store/db.ts';
import { insertModel, saveEmbeddingRun } from '../../../src/engine/store/model.ts';
import { caseEmbeddings, modelSummary } from '../../../src/engine/hunt/model-link.ts';

describe('model link', () => {
  it('reads the trained embeddings and model summary, ignoring the untrained map', () => {
    const db = openMemory();
    expect(caseEmbeddings(db)).toBeNull();
    expect(modelSummary(db)).toBeNull();
    const base = { preset: 'seed', windowUs: 60e6, dim: 2, sessionIds: Int32Array.from([4, 9]), data: Float32Array.from([1, 2, 3, 4]), projection: null };
    saveEmbeddingRun(db, { ...base, modelId: null, kind: 'untrained' });
    expect(caseEmbeddings(db)).toBeNull();
    const m = insertModel(db, { preset: 'seed', windowUs: 60e6, config: { hidden: 2 }, backend: 'cpu', metrics: { microF1: 0.8 }, imported: false });
    saveEmbeddingRun(db, { ...base, modelId: m.id, kind: 'trained' });
    const e = caseEmbeddings(db)!;
    expect(e.set.sessionIds).toEqual([4, 9]);
    expect(Array.from(e.set.data)).toEqual([1, 2, 3, 4]);
    expect(e).toMatchObject({ preset: 'seed', windowUs: 60e6, modelId: m.id, kind: 'trained' });
    const s = modelSummary(db)!;
    expect(s.metrics).toEqual({ microF1: 0.8 });
    expect(s.model).toMatchObject({ id: m.id, backend: 'cpu', embeddingKind: 'trained' });
  });

  it('finds the asked preset’s embeddings when another preset was trained after it', () => {
    const db = openMemory();
    const run = (preset: string, ids: number[]): void => {
      const m = insertModel(db, { preset, windowUs: 60e6, config: {}, backend: 'cpu', metrics: {}, imported: false });
      saveEmbeddingRun(db, { preset, windowUs: 60e6, dim: 1, sessionIds: Int32Array.from(ids), data: Float32Array.from(ids), projection: null, modelId: m.id, kind: 'trained' });
    };
    run('seed', [1, 2]);
    run('actor', [7, 8, 9]);
    expect(caseEmbeddings(db)!.preset).toBe('actor');
    expect(caseEmbeddings(db, 'seed')!.set.sessionIds).toEqual([1, 2]);
    expect(caseEmbeddings(db, 'actor')!.set.sessionIds).toEqual([7, 8, 9]);
    expect(caseEmbeddings(db, 'actor-ip')).toBeNull();
  });
});
