import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { IncidentRecord } from '../../../src/shared/domain.ts';
import { migrate, openMemory } from '../../../src/engine/store/db.ts';
import { m020Findings } from '../../../src/engine/store/migrations/020-findings.ts';
import { m022Incidents } from '../../../src/engine/store/migrations/022-incidents.ts';
import { getIncident, incidentsOfFinding, listIncidents, saveIncidents, setIncidentTriage } from '../../../src/engine/store/incidents.ts';

const incident = (id: string, users: string[], findings: string[], score: number): IncidentRecord & { startUs: number; endUs: number } => ({
  id, title: `t ${id}`, start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:10:00Z', startUs: 1, endUs: 2, score, severity: 'high',
  tactics: [], techniques: ['T1552'], users, sourceIPs: ['203.0.113.9'], namespaces: [], objects: [], auditIDs: ['a', 'b'],
  findings, links: [], storyline: [], reasons: [],
});

describe('migration 022 (incidents)', () => {
  it('creates the tables and checks severities and triage states', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [m020Findings, m022Incidents])).toBe(22);
    db.prepare("insert into hunt_runs (started_at, config) values ('t', '{}')").run();
    const ins = db.prepare("insert into incidents (id, run_id, rank, start_us, end_us, score, severity, title, users, source_ips, record) values (?, 1, 1, 0, 0, 0.5, ?, 't', '[]', '[]', '{}')");
    ins.run('I-1', 'high');
    expect(() => ins.run('I-2', 'severe')).toThrow(/CHECK/);
    expect(() => db.prepare("insert into incident_triage values ('I-1', 'maybe', 't')").run()).toThrow(/CHECK/);
  });
});

describe('incident store', () => {
  it('keeps rank order, filters, links findings and keeps triage across a re-save', () => {
    const db = openMemory();
    db.prepare("insert into hunt_runs (started_at, config) values ('t', '{}')").run();
    saveIncidents(db, 1, [incident('I-b', ['mallory'], ['F-1', 'F-2'], 0.9), incident('I-a', ['alice@example.com'], ['F-3'], 0.4)]);
    expect(listIncidents(db).map((i) => [i.id, i.rank])).toEqual([['I-b', 1], ['I-a', 2]]);
    expect(listIncidents(db, { user: 'ALICE' }).map((i) => i.id)).toEqual(['I-a']);
    expect(incidentsOfFinding(db, 'F-2')).toEqual(['I-b']);
    expect(setIncidentTriage(db, 'I-a', 'malicious')).toBeNull();
    saveIncidents(db, 1, [incident('I-a', ['alice@example.com'], ['F-3'], 0.4)]);
    expect(getIncident(db, 'I-a')?.triage).toBe('malicious');
    expect(getIncident(db, 'I-b')).toBeNull();
    expect(incidentsOfFinding(db, 'F-2')).toEqual([]);
  });
});
