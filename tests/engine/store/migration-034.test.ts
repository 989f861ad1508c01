import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m010Sessions } from '../../../src/engine/store/migrations/010-sessions.ts';
import { m033SessionEnd } from '../../../src/engine/store/migrations/033-session-end.ts';
import { m034SessionNodeEvents } from '../../../src/engine/store/migrations/034-session-node-events.ts';
import { iterateSessionGraphs, loadSessionGraph, saveSessions } from '../../../src/engine/store/sessions.ts';
import { buildGraph } from '../../../src/engine/sessions/graph.ts';
import { ACTOR } from '../../../src/engine/sessions/presets.ts';
import { synthEvents } from '../sessions/synth.ts';

describe('migration 034 (per-node event index)', () => {
  const db = new Database(':memory:');
  migrate(db, [m010Sessions, m033SessionEnd]);
  db.prepare(
    "insert into sessions (preset, window_us, start_us, partition, n_nodes, n_edges, n_events, verbs, label_mask, node_types, node_labels, edge_src, edge_dst, edge_w, audit_ids) values ('seed', 60000000, 0, 'old', 0, 0, 0, '[]', 0, x'', '[]', x'', x'', x'', '[]')",
  ).run();
  expect(migrate(db, [m010Sessions, m033SessionEnd, m034SessionNodeEvents])).toBe(34);

  it('keeps earlier sessions readable, without an index', () => {
    const old = loadSessionGraph(db, 1, { nodeEvents: true });
    expect(old?.partition).toBe('old');
    expect(old?.nodeEvents).toBeUndefined();
  });

  it('stores the index with a session and gives it back only to a reader that asks', () => {
    const g = buildGraph(ACTOR, 1800e6, 0, 'alice', synthEvents(300, 2, 20));
    saveSessions(db, [g]);
    const id = db.prepare("select id from sessions where partition = 'alice'").pluck().get() as number;
    const back = loadSessionGraph(db, id, { nodeEvents: true });
    expect(Array.from(back?.nodeEvents?.offsets ?? [])).toEqual(Array.from(g.nodeEvents?.offsets ?? [1]));
    expect(Array.from(back?.nodeEvents?.index ?? [])).toEqual(Array.from(g.nodeEvents?.index ?? [1]));
    expect(loadSessionGraph(db, id)?.nodeEvents).toBeUndefined();
    expect([...iterateSessionGraphs(db, { partition: 'alice' })][0].nodeEvents).toBeUndefined();
  });
});
