import type { Migration } from './index.ts';

/**
 * Each session keeps which of its events each node was drawn from (sessions/graph.ts
 * NodeEventIndex), so a session click lists a node's events without re-reading the session's
 * events. Sessions built before stay null and are answered the old way, from their events.
 */
export const m034SessionNodeEvents: Migration = {
  version: 34,
  name: 'session-node-events',
  up(db) {
    db.exec('alter table sessions add column node_events blob');
  },
};
