import type { Migration } from './index.ts';

/**
 * The pivot indexes. Named and listed here so that a bulk load into an empty case can drop them
 * and build them once at the end (store/indexes.ts), which is cheaper than maintaining them row
 * by row.
 */
export const EVENT_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'events_time', sql: 'CREATE INDEX IF NOT EXISTS events_time ON events(time_us)' },
  { name: 'events_user', sql: 'CREATE INDEX IF NOT EXISTS events_user ON events(user, time_us)' },
  { name: 'events_verb', sql: 'CREATE INDEX IF NOT EXISTS events_verb ON events(verb, time_us)' },
  { name: 'events_resource', sql: 'CREATE INDEX IF NOT EXISTS events_resource ON events(resource, time_us)' },
  { name: 'events_namespace', sql: 'CREATE INDEX IF NOT EXISTS events_namespace ON events(namespace, time_us)' },
  { name: 'events_source_ip', sql: 'CREATE INDEX IF NOT EXISTS events_source_ip ON events(source_ip, time_us)' },
  { name: 'events_response_code', sql: 'CREATE INDEX IF NOT EXISTS events_response_code ON events(response_code, time_us)' },
  { name: 'event_sources_event', sql: 'CREATE INDEX IF NOT EXISTS event_sources_event ON event_sources(event_id)' },
];

export const m004EventIndexes: Migration = {
  version: 4,
  name: 'event-indexes',
  up(db) {
    for (const ix of EVENT_INDEXES) db.exec(ix.sql);
  },
};
