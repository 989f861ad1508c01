import type { IncidentRecord, Severity, TriageState } from '../../shared/domain.ts';
import type { Db } from './db.ts';

/** An incident as the store keeps it: the exported record plus its rank and numeric span. */
export interface StoredIncident extends IncidentRecord {
  rank: number;
  startUs: number;
  endUs: number;
  triage: TriageState;
}

interface IncidentTuple {
  id: string;
  rank: number;
  start_us: number;
  end_us: number;
  record: string;
  triage: TriageState | null;
}

/** Replace the case's incidents with a hunt run's, ranked as given (rank 1 first). Triage survives by id. */
export function saveIncidents(db: Db, runId: number, incidents: readonly (IncidentRecord & { startUs: number; endUs: number })[]): void {
  db.transaction(() => {
    db.prepare('delete from incident_findings').run();
    db.prepare('delete from incidents').run();
    const insert = db.prepare(
      `insert into incidents (id, run_id, rank, start_us, end_us, score, severity, title, users, source_ips, record)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const link = db.prepare('insert or ignore into incident_findings (incident_id, finding_id) values (?, ?)');
    incidents.forEach((inc, i) => {
      const { startUs, endUs, triage: _t, ...record } = inc;
      insert.run(inc.id, runId, i + 1, startUs, endUs, inc.score, inc.severity, inc.title, JSON.stringify(inc.users), JSON.stringify(inc.sourceIPs), JSON.stringify(record));
      for (const f of inc.findings) link.run(inc.id, f);
    });
  })();
}

export interface IncidentFilter {
  severities?: Severity[];
  states?: TriageState[];
  /** Substring of any of the incident's users, case-insensitive. */
  user?: string;
  /** Exact source address. */
  sourceIP?: string;
}

const SELECT = 'select i.id, i.rank, i.start_us, i.end_us, i.record, t.state triage from incidents i left join incident_triage t on t.incident_id = i.id';

function fromTuple(r: IncidentTuple): StoredIncident {
  const rec = JSON.parse(r.record) as IncidentRecord;
  return { ...rec, rank: r.rank, startUs: r.start_us, endUs: r.end_us, triage: r.triage ?? 'new' };
}

/** Incidents by rank, with their triage state. Filters apply in memory: a case holds tens to hundreds. */
export function listIncidents(db: Db, filter: IncidentFilter = {}): StoredIncident[] {
  let out = (db.prepare(`${SELECT} order by i.rank`).all() as IncidentTuple[]).map(fromTuple);
  if (filter.severities?.length) out = out.filter((i) => filter.severities!.includes(i.severity));
  if (filter.states?.length) out = out.filter((i) => filter.states!.includes(i.triage));
  if (filter.user) {
    const q = filter.user.toLowerCase();
    out = out.filter((i) => i.users.some((u) => u.toLowerCase().includes(q)));
  }
  if (filter.sourceIP) out = out.filter((i) => i.sourceIPs.includes(filter.sourceIP!));
  return out;
}

export function getIncident(db: Db, id: string): StoredIncident | null {
  const r = db.prepare(`${SELECT} where i.id = ?`).get(id) as IncidentTuple | undefined;
  return r ? fromTuple(r) : null;
}

/** The incidents a finding belongs to (usually one). */
export function incidentsOfFinding(db: Db, findingId: string): string[] {
  return (db.prepare('select incident_id from incident_findings where finding_id = ? order by incident_id').all(findingId) as { incident_id: string }[]).map((r) => r.incident_id);
}

/** Set an incident's triage state; returns the previous one (null when never set). */
export function setIncidentTriage(db: Db, id: string, state: TriageState, at = new Date().toISOString()): TriageState | null {
  const prev = db.prepare('select state from incident_triage where incident_id = ?').get(id) as { state: TriageState } | undefined;
  db.prepare('insert into incident_triage (incident_id, state, updated_at) values (?, ?, ?) on conflict(incident_id) do update set state = excluded.state, updated_at = excluded.updated_at').run(id, state, at);
  return prev?.state ?? null;
}
