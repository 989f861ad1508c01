import type { Db } from './db.ts';

export interface RunCounts {
  events: number;
  duplicates: number;
  errors: number;
  skipped: number;
}

/** Record a new run; a run still 'running' can only be one that was killed, so it is marked failed. */
export function startRun(db: Db, paths: readonly string[], now = new Date()): number {
  db.prepare("UPDATE ingest_runs SET status = 'failed' WHERE status = 'running'").run();
  const info = db.prepare("INSERT INTO ingest_runs (started_at, paths, status) VALUES (?, ?, 'running')").run(now.toISOString(), JSON.stringify(paths));
  return Number(info.lastInsertRowid);
}

export function finishRun(db: Db, id: number, status: 'done' | 'failed', counts: RunCounts, now = new Date()): void {
  db.prepare('UPDATE ingest_runs SET finished_at = ?, status = ?, events = ?, duplicates = ?, errors = ?, skipped = ? WHERE id = ?').run(
    now.toISOString(),
    status,
    counts.events,
    counts.duplicates,
    counts.errors,
    counts.skipped,
    id,
  );
}

export interface IngestRun extends RunCounts {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  paths: string[];
  status: 'running' | 'done' | 'failed';
}

export function listRuns(db: Db): IngestRun[] {
  const rows = db.prepare('SELECT id, started_at, finished_at, paths, status, events, duplicates, errors, skipped FROM ingest_runs ORDER BY id').all() as {
    id: number;
    started_at: string;
    finished_at: string | null;
    paths: string;
    status: IngestRun['status'];
    events: number;
    duplicates: number;
    errors: number;
    skipped: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    paths: JSON.parse(r.paths) as string[],
    status: r.status,
    events: r.events,
    duplicates: r.duplicates,
    errors: r.errors,
    skipped: r.skipped,
  }));
}
