import type { Migration } from './index.ts';

/**
 * Trained (or imported) models and the session embeddings they produced. The weights themselves
 * live in the case directory in tfjs format (models/<id>/model.json + weights.bin); `dir` is
 * relative to the case. An embedding run holds one matrix [count, dim] of float32 and its 2-D
 * projection [count, 2] for the UI's map; `kind` says whether it came before or after training.
 */
export const m011Models: Migration = {
  version: 11,
  name: 'models',
  up(db) {
    db.exec(`
      create table models (
        id integer primary key,
        created_at text not null,
        preset text not null,
        window_us integer not null,
        config text not null,
        backend text not null,
        metrics text not null default '{}',
        dir text not null,
        imported integer not null default 0
      );
      create table embedding_runs (
        id integer primary key,
        model_id integer references models(id) on delete cascade,
        kind text not null check (kind in ('untrained', 'trained', 'imported')),
        preset text not null,
        window_us integer not null,
        created_at text not null,
        dim integer not null,
        count integer not null,
        session_ids blob not null,
        data blob not null,
        projection blob
      );
    `);
  },
};
