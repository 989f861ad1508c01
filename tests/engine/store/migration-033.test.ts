import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m010Sessions } from '../../../src/engine/store/migrations/010-sessions.ts';
import { m033SessionEnd } from '../../../src/engine/store/migrations/033-session-end.ts';
import { m020Findings } from '../../../src/engine/store/migrations/020-findings.ts';
import { m021Analyst } from '../../../src/engine/store/migrations/021-analyst.ts';
import { listSessions } from '../../../src/engine/store/sessions.ts';

describe('migration 033 (session end)', () => {
  it('adds end_us, and rows from before it read as their slice end', () => {
    const db = new Database(':memory:');
    migrate(db, [m010Sessions]);
    db.prepare(
      "insert into sessions (preset, window_us, start_us, partition, n_nodes, n_edges, n_events, verbs, label_mask, node_types, node_labels, edge_src, edge_dst, edge_w, audit_ids) values ('seed', 60000000, 120000000, 'c', 0, 0, 0, '[]', 0, x'', '[]', x'', x'', x'', '[]')",
    ).run();
    // A case of the previous release stands at 21: the new column must still arrive.
    expect(migrate(db, [m010Sessions, m020Findings, m021Analyst])).toBe(21);
    expect(migrate(db, [m010Sessions, m020Findings, m021Analyst, m033SessionEnd])).toBe(33);
    expect(listSessions(db)[0].endUs).toBe(179_999_999);
    db.prepare('update sessions set end_us = 150000000').run();
    expect(listSessions(db)[0].endUs).toBe(150_000_000);
  });

  it('is a no-op where the column is already there', () => {
    const db = new Database(':memory:');
    migrate(db, [m010Sessions]);
    db.exec('alter table sessions add column end_us integer');
    expect(() => m033SessionEnd.up(db)).not.toThrow();
  });
});
