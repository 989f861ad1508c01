import type { Db } from './db.ts';
import { EVENT_INDEXES as PIVOTS } from './migrations/004-event-indexes.ts';
import { EVENT_ORIGIN_INDEX } from './migrations/007-event-origin-position.ts';

const EVENT_INDEXES = [...PIVOTS, EVENT_ORIGIN_INDEX];

/** Whether the case holds no events yet: the one case where dropping the pivot indexes for a bulk load pays. */
export function isEmptyCase(db: Db): boolean {
  return db.prepare('SELECT NOT EXISTS (SELECT 1 FROM events)').pluck().get() === 1;
}

/**
 * Drop the pivot indexes before a bulk load into an empty case; ensureEventIndexes builds them
 * once at the end. A run killed in between leaves a correct case with slower pivots until the
 * next ingest (or open for writing) rebuilds them.
 */
export function dropEventIndexes(db: Db): void {
  for (const ix of EVENT_INDEXES) db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
}

export function ensureEventIndexes(db: Db): void {
  for (const ix of EVENT_INDEXES) db.exec(ix.sql);
}
