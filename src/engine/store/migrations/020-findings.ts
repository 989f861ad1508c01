import type { Migration } from './index.ts';

/**
 * Findings as the last hunt produced them, and the runs that produced them. List columns hold JSON
 * arrays: they are only ever read back whole, and filtering by technique or user happens on the
 * few hundred findings a case has, not on events.
 */
export const m020Findings: Migration = {
  version: 20,
  name: 'findings',
  up(db) {
    db.exec(`
      create table hunt_runs (
        id integer primary key,
        started_at text not null,
        finished_at text,
        config text not null,
        metrics text not null default '{}'
      );
      create table findings (
        id text primary key,
        run_id integer not null references hunt_runs(id),
        kind text not null check (kind in ('anomaly', 'rule', 'correlated')),
        start_us integer not null,
        end_us integer not null,
        score real not null,
        severity text not null check (severity in ('info', 'low', 'medium', 'high', 'critical')),
        title text not null,
        session_id integer,
        techniques text not null,
        users text not null,
        source_ips text not null,
        audit_ids text not null,
        rule_ids text not null,
        reasons text not null
      );
      create index findings_score on findings(score desc);
    `);
  },
};
