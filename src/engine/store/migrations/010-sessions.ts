import type { Migration } from './index.ts';

/**
 * Session graphs. A graph is a handful of typed-array blobs (node type bytes, edge endpoints as
 * int32, edge weights as float32, little-endian) plus its node labels and event auditIDs as JSON:
 * compact, read back whole, and drawable by the UI without re-reading events. Features are not
 * stored: they are a pure function of the labels and the model's hashing config.
 * The natural key (preset, window, partition, start) lets an incremental rebuild update a session
 * in place and keep its id.
 */
export const m010Sessions: Migration = {
  version: 10,
  name: 'sessions',
  up(db) {
    db.exec(`
      create table sessions (
        id integer primary key,
        preset text not null,
        window_us integer not null,
        start_us integer not null,
        partition text not null,
        n_nodes integer not null,
        n_edges integer not null,
        n_events integer not null,
        verbs text not null,
        label_mask integer not null,
        node_types blob not null,
        node_labels text not null,
        edge_src blob not null,
        edge_dst blob not null,
        edge_w blob not null,
        audit_ids text not null,
        unique (preset, window_us, partition, start_us)
      );
      create index sessions_time on sessions(preset, window_us, start_us);
    `);
  },
};
