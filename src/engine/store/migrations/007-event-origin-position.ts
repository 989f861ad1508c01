import type { Migration } from './index.ts';

/**
 * The position an event's kept record was read at is its `events.origin_*`; `event_sources` now
 * holds only the other positions (earlier stages, copies in other exports). Writing the first
 * position twice cost one B-tree insert per event on the writer thread, ~20% of its insert work
 * (docs/ingest.md). Replay detection looks positions up in both places, hence the origin index;
 * it is a pivot like the others (store/indexes.ts), built once after a bulk load.
 */
export const EVENT_ORIGIN_INDEX = {
  name: 'events_origin',
  sql: 'CREATE INDEX IF NOT EXISTS events_origin ON events(origin_evidence, origin_line, origin_record)',
} as const;

export const m007EventOriginPosition: Migration = {
  version: 7,
  name: 'event-origin-position',
  up(db) {
    db.exec(EVENT_ORIGIN_INDEX.sql);
    db.exec(`DELETE FROM event_sources WHERE (evidence_id, line, record) IN
      (SELECT origin_evidence, origin_line, origin_record FROM events)`);
  },
};
