import type { Migration } from './index.ts';

/**
 * Incidents as the last hunt produced them: one actor's episode (and whatever shares its
 * credentials or addresses) with its storyline. The record column holds the whole exported
 * IncidentRecord: it is read back whole, and the few columns beside it are what lists sort and
 * filter on. Incident triage lives apart, keyed by incident id (stable across hunts for the same
 * episode), so re-running the hunt keeps the analyst's states, as for findings.
 */
export const m022Incidents: Migration = {
  version: 22,
  name: 'incidents',
  up(db) {
    db.exec(`
      create table incidents (
        id text primary key,
        run_id integer not null references hunt_runs(id),
        rank integer not null,
        start_us integer not null,
        end_us integer not null,
        score real not null,
        severity text not null check (severity in ('info', 'low', 'medium', 'high', 'critical')),
        title text not null,
        users text not null,
        source_ips text not null,
        record text not null
      );
      create index incidents_rank on incidents(rank);
      create table incident_findings (
        incident_id text not null references incidents(id) on delete cascade,
        finding_id text not null,
        primary key (incident_id, finding_id)
      );
      create index incident_findings_finding on incident_findings(finding_id);
      create table incident_triage (
        incident_id text primary key,
        state text not null check (state in ('new', 'investigating', 'malicious', 'benign_true_positive', 'false_positive')),
        updated_at text not null
      );
    `);
  },
};
