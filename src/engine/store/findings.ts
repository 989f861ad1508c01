import type { Severity, TriageState } from '../../shared/domain.ts';
import type { Finding } from '../hunt/types.ts';
import { usToRfc3339 } from '../hunt/time.ts';
import type { Db } from './db.ts';

interface FindingRow {
  id: string;
  kind: Finding['kind'];
  start_us: number;
  end_us: number;
  score: number;
  severity: Severity;
  title: string;
  session_id: number | null;
  techniques: string;
  users: string;
  source_ips: string;
  audit_ids: string;
  rule_ids: string;
  reasons: string;
  triage: TriageState | null;
}

export interface HuntRun {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  config: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

/**
 * Replace the case's findings with a new hunt's, recording the run. Triage states and notes live
 * in their own tables, so they survive for findings that come back under the same id.
 */
export function saveHuntRun(db: Db, run: { startedAt: string; config: Record<string, unknown>; metrics: Record<string, unknown> }, findings: Finding[]): number {
  return db.transaction(() => {
    const info = db
      .prepare('insert into hunt_runs (started_at, finished_at, config, metrics) values (?, ?, ?, ?)')
      .run(run.startedAt, new Date().toISOString(), JSON.stringify(run.config), JSON.stringify(run.metrics));
    const runId = Number(info.lastInsertRowid);
    db.prepare('delete from findings').run();
    const insert = db.prepare(
      `insert into findings (id, run_id, kind, start_us, end_us, score, severity, title, session_id, techniques, users, source_ips, audit_ids, rule_ids, reasons)
       values (@id, @runId, @kind, @startUs, @endUs, @score, @severity, @title, @sessionId, @techniques, @users, @sourceIPs, @auditIDs, @ruleIds, @reasons)`,
    );
    for (const f of findings) {
      insert.run({
        id: f.id,
        runId,
        kind: f.kind,
        startUs: f.startUs,
        endUs: f.endUs,
        score: f.score,
        severity: f.severity,
        title: f.title,
        sessionId: f.sessionId ?? null,
        techniques: JSON.stringify(f.techniques),
        users: JSON.stringify(f.users),
        sourceIPs: JSON.stringify(f.sourceIPs),
        auditIDs: JSON.stringify(f.auditIDs),
        ruleIds: JSON.stringify(f.ruleIds),
        reasons: JSON.stringify(f.reasons),
      });
    }
    return runId;
  })();
}

export interface FindingFilter {
  severities?: Severity[];
  states?: TriageState[];
  techniques?: string[];
  limit?: number;
}

/** Findings, riskiest first, with their triage state. Filters apply in memory: a case holds hundreds, not millions. */
export function listFindings(db: Db, filter: FindingFilter = {}): Finding[] {
  const rows = db
    .prepare(
      `select f.*, t.state triage from findings f left join triage t on t.finding_id = f.id
       order by f.score desc, f.start_us, f.id`,
    )
    .all() as FindingRow[];
  let out = rows.map(fromRow);
  if (filter.severities?.length) out = out.filter((f) => filter.severities!.includes(f.severity));
  if (filter.states?.length) out = out.filter((f) => filter.states!.includes(f.triage ?? 'new'));
  if (filter.techniques?.length) {
    // A parent technique matches its sub-techniques: T1552 finds T1552.007.
    out = out.filter((f) => f.techniques.some((t) => filter.techniques!.some((q) => t === q || t.startsWith(`${q}.`))));
  }
  if (filter.limit !== undefined) out = out.slice(0, filter.limit);
  return out;
}

export function getFinding(db: Db, id: string): Finding | null {
  const row = db.prepare('select f.*, t.state triage from findings f left join triage t on t.finding_id = f.id where f.id = ?').get(id) as FindingRow | undefined;
  return row ? fromRow(row) : null;
}

/**
 * The findings that cite one session, riskiest first: what the Session view shows beside its graph.
 * Selected in SQL, so showing one session no longer parses every finding of the case.
 */
export function findingsOfSession(db: Db, sessionId: number): Finding[] {
  const rows = db
    .prepare(
      `select f.*, t.state triage from findings f left join triage t on t.finding_id = f.id
       where f.session_id = ? order by f.score desc, f.start_us, f.id`,
    )
    .all(sessionId) as FindingRow[];
  return rows.map(fromRow);
}

/**
 * Each session's riskiest finding score, for sessions some finding cites. In SQL: the sessions
 * list and the embedding map colour every session by it, and parsing every finding's citations
 * and reasons to read one number each was most of those calls' time.
 */
export function sessionScores(db: Db): Map<number, number> {
  const rows = db.prepare('select session_id, max(score) score from findings where session_id is not null group by session_id').all() as { session_id: number; score: number }[];
  return new Map(rows.map((r) => [r.session_id, r.score]));
}

export function latestHuntRun(db: Db): HuntRun | null {
  const r = db.prepare('select * from hunt_runs order by id desc limit 1').get() as
    | { id: number; started_at: string; finished_at: string | null; config: string; metrics: string }
    | undefined;
  if (!r) return null;
  return { id: r.id, startedAt: r.started_at, finishedAt: r.finished_at, config: JSON.parse(r.config) as Record<string, unknown>, metrics: JSON.parse(r.metrics) as Record<string, unknown> };
}

function fromRow(r: FindingRow): Finding {
  return {
    id: r.id,
    kind: r.kind,
    start: usToRfc3339(r.start_us),
    end: usToRfc3339(r.end_us),
    startUs: r.start_us,
    endUs: r.end_us,
    score: r.score,
    severity: r.severity,
    title: r.title,
    sessionId: r.session_id ?? undefined,
    techniques: JSON.parse(r.techniques) as string[],
    users: JSON.parse(r.users) as string[],
    sourceIPs: JSON.parse(r.source_ips) as string[],
    auditIDs: JSON.parse(r.audit_ids) as string[],
    ruleIds: JSON.parse(r.rule_ids) as string[],
    reasons: JSON.parse(r.reasons) as Finding['reasons'],
    triage: r.triage ?? 'new',
  };
}

export interface Timeline {
  startUs: number;
  bucketUs: number;
  counts: number[];
}

/** Events per time bucket over the whole case (the report's activity chart); null in an empty case. */
export function eventTimeline(db: Db, buckets = 96): Timeline | null {
  const r = db.prepare('select min(time_us) lo, max(time_us) hi from events').get() as { lo: number | null; hi: number | null };
  if (r.lo === null || r.hi === null) return null;
  const bucketUs = Math.max(1, Math.ceil((r.hi - r.lo + 1) / buckets));
  const counts = new Array<number>(buckets).fill(0);
  const rows = db.prepare('select cast((time_us - ?) / ? as integer) b, count(*) n from events group by b').all(r.lo, bucketUs) as { b: number; n: number }[];
  for (const row of rows) counts[Math.min(buckets - 1, Math.max(0, Math.floor(row.b)))] += row.n;
  return { startUs: r.lo, bucketUs, counts };
}
