import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m010Sessions } from '../../../src/engine/store/migrations/010-sessions.ts';
import { m011Models } from '../../../src/engine/store/migrations/011-models.ts';

describe('migrations 010 (sessions) and 011 (models, embeddings)', () => {
  it('creates the tables with their keys and checks', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    expect(migrate(db, [m010Sessions, m011Models])).toBe(11);
    const ins = db.prepare(
      "insert into sessions (preset, window_us, start_us, partition, n_nodes, n_edges, n_events, verbs, label_mask, node_types, node_labels, edge_src, edge_dst, edge_w, audit_ids) values ('seed', 60, ?, '*', 0, 0, 0, '[]', 0, x'', '[]', x'', x'', x'', '[]')",
    );
    ins.run(0);
    expect(() => ins.run(0)).toThrow(/UNIQUE/);
    db.prepare("insert into models (created_at, preset, window_us, config, backend, dir) values ('t', 'seed', 60, '{}', 'cpu', 'models/1')").run();
    const run = db.prepare("insert into embedding_runs (model_id, kind, preset, window_us, created_at, dim, count, session_ids, data) values (1, ?, 'seed', 60, 't', 2, 0, x'', x'')");
    run.run('trained');
    expect(() => run.run('bogus')).toThrow(/CHECK/);
    db.prepare('delete from models').run();
    expect(db.prepare('select count(*) n from embedding_runs').get()).toEqual({ n: 0 });
  });
});
