import type { Migration } from './index.ts';

/**
 * What search and the entity pages read instead of scanning the events table (a scan of a
 * 3-day scale-1 case takes 0.5–0.9 s; the targets are 300 ms for a search and 150 ms for a page).
 *
 * - `search_state` holds the highest events.id already indexed: the index is brought up to date
 *   incrementally (store/search-index.ts) the first time it is read after an ingest, so the
 *   ingest's own writer does not pay for it.
 * - `entity_stats` has one row per distinct user, source address, user agent, namespace, resource,
 *   verb and object name (tens to thousands), so a substring or CIDR match runs over those and then
 *   uses the events indexes with exact values.
 * - `entity_pairs` counts what was seen together (user × address, user × agent, entity × "verb
 *   resource"…) and `entity_hours` counts events per hour per entity: an entity page reads a few
 *   hundred rows whatever the entity's volume (kube-controller-manager has ~40% of all events).
 * - `event_object_names` names the object of a create whose objectRef has none (the name is only
 *   in the request object), so an object-name search finds the create too.
 * - `search_fts` is a contentless FTS5 index of each event's auditID, URI, user, agent, object names and
 *   (for requests with a body) its summary: free text is words, not substrings (5.5 s and ~40 MB
 *   to build for 672K events, measured; a trigram index would be several times larger).
 * - `saved_searches` keeps the analyst's named searches.
 */
export const m032Search: Migration = {
  version: 32,
  name: 'search-and-entity-index',
  up(db) {
    db.exec(`
      create table search_state (
        id integer primary key check (id = 1),
        indexed_to integer not null
      );
      create table entity_stats (
        kind text not null,
        value text not null,
        events integer not null,
        first_us integer not null,
        last_us integer not null,
        primary key (kind, value)
      ) without rowid;
      create table entity_pairs (
        kind text not null,
        value text not null,
        other_kind text not null,
        other_value text not null,
        events integer not null,
        primary key (kind, value, other_kind, other_value)
      ) without rowid;
      create table entity_hours (
        kind text not null,
        value text not null,
        hour integer not null,
        events integer not null,
        primary key (kind, value, hour)
      ) without rowid;
      create table event_object_names (
        event_id integer primary key,
        name text not null
      );
      create index event_object_names_name on event_object_names(name);
      create virtual table search_fts using fts5(doc, content='', tokenize = "unicode61 tokenchars '-_.@'");
      create table saved_searches (
        id integer primary key,
        name text not null,
        query text not null,
        author text,
        created_at text not null
      );
    `);
  },
};
