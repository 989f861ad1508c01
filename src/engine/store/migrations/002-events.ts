import type { Migration } from './index.ts';

/**
 * One row per auditID. Arrays and objects are JSON text; `source_ip` is sourceIPs[0] (the client as
 * the API server saw it) so that the IP pivot can use an index. The original record text lives in
 * `event_raw`, apart, so that scans over events do not drag kilobytes of raw JSON through the cache.
 * `event_sources` keys every (evidence, line, record) position an event was read at: replaying a
 * record after a killed run finds its position taken and adds nothing.
 */
export const m002Events: Migration = {
  version: 2,
  name: 'events',
  up(db) {
    db.exec(`
      CREATE TABLE events (
        id                  INTEGER PRIMARY KEY,
        audit_id            TEXT NOT NULL UNIQUE,
        time_us             INTEGER NOT NULL,
        stage_time_us       INTEGER,
        stage               TEXT NOT NULL,
        stages              TEXT NOT NULL,
        level               TEXT NOT NULL,
        verb                TEXT NOT NULL,
        user                TEXT NOT NULL,
        groups              TEXT NOT NULL,
        uid                 TEXT,
        impersonated_user   TEXT,
        impersonated_groups TEXT NOT NULL,
        source_ip           TEXT,
        source_ips          TEXT NOT NULL,
        user_agent          TEXT,
        resource            TEXT,
        subresource         TEXT,
        namespace           TEXT,
        name                TEXT,
        api_group           TEXT,
        api_version         TEXT,
        request_uri         TEXT NOT NULL,
        response_code       INTEGER,
        decision            TEXT,
        reason              TEXT,
        annotations         TEXT NOT NULL,
        request_object      TEXT,
        response_object     TEXT,
        format              TEXT NOT NULL,
        provider            TEXT,
        cluster             TEXT,
        missing             TEXT NOT NULL,
        origin_evidence     INTEGER NOT NULL REFERENCES evidence(id),
        origin_line         INTEGER NOT NULL,
        origin_record       INTEGER NOT NULL
      );

      CREATE TABLE event_raw (
        event_id INTEGER PRIMARY KEY REFERENCES events(id),
        raw      TEXT NOT NULL
      );

      CREATE TABLE event_sources (
        evidence_id INTEGER NOT NULL REFERENCES evidence(id),
        line        INTEGER NOT NULL,
        record      INTEGER NOT NULL,
        event_id    INTEGER NOT NULL REFERENCES events(id),
        stage       TEXT NOT NULL,
        PRIMARY KEY (evidence_id, line, record)
      ) WITHOUT ROWID;
    `);
  },
};
