import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { migrations } from '../../../src/engine/store/migrations/index.ts';
import { listSessions, saveSessions } from '../../../src/engine/store/sessions.ts';
import { buildGraph } from '../../../src/engine/sessions/graph.ts';
import { ACTOR } from '../../../src/engine/sessions/presets.ts';
import { synthEvents } from '../sessions/synth.ts';

describe('migration 035 (session summary index)', () => {
  it('lets the session list read the index alone, never the rows and their graph blobs', () => {
    const db = new Database(':memory:');
    migrate(db, migrations);
    saveSessions(db, [buildGraph(ACTOR, 1800e6, 0, 'alice', synthEvents(50, 3, 20)), buildGraph(ACTOR, 1800e6, 0, 'bob', synthEvents(40, 4, 20))]);
    // The statement listSessions runs, as the planner sees it.
    const plan = db
      .prepare('explain query plan select id, preset, window_us, start_us, end_us, partition, n_nodes, n_edges, n_events, verbs, label_mask from sessions order by start_us, partition, preset')
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toBe('SCAN sessions USING COVERING INDEX sessions_summary');
    expect(listSessions(db).map((s) => s.partition)).toEqual(['alice', 'bob']);
  });
});
