import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/engine/store/db.ts';
import { m020Findings } from '../../../src/engine/store/migrations/020-findings.ts';
import { m021Analyst } from '../../../src/engine/store/migrations/021-analyst.ts';

describe('migrations 020 (findings) and 021 (triage, notes, journal)', () => {
  it('creates the tables and enforces their constraints', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [m020Findings, m021Analyst])).toBe(21);
    const names = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['findings', 'hunt_runs', 'journal', 'notes', 'triage']));
    db.prepare("insert into hunt_runs (started_at, config) values ('t', '{}')").run();
    const ins = db.prepare(
      "insert into findings (id, run_id, kind, start_us, end_us, score, severity, title, techniques, users, source_ips, audit_ids, rule_ids, reasons) values (?, 1, ?, 0, 0, 0.5, ?, 't', '[]', '[]', '[]', '[]', '[]', '[]')",
    );
    ins.run('a', 'anomaly', 'high');
    expect(() => ins.run('b', 'bogus', 'high')).toThrow(/CHECK/);
    expect(() => ins.run('c', 'rule', 'severe')).toThrow(/CHECK/);
    expect(() => db.prepare("insert into triage values ('a', 'maybe', 't')").run()).toThrow(/CHECK/);
  });

  it('keeps the journal append-only', () => {
    const db = new Database(':memory:');
    migrate(db, [m020Findings, m021Analyst]);
    db.prepare("insert into journal (at, action) values ('2026-01-01T00:00:00Z', 'note')").run();
    expect(() => db.prepare("update journal set action = 'export'").run()).toThrow(/append-only/);
    expect(() => db.prepare('delete from journal').run()).toThrow(/append-only/);
    expect(db.prepare('select count(*) n from journal').get()).toEqual({ n: 1 });
  });
});
