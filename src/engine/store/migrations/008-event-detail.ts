import type { Migration } from './index.ts';

/**
 * The fields no pivot filters, sorts or groups on move from seventeen columns into one JSON object,
 * `events.detail`, keyed by the AuditEvent field names (so `detail->>'$.userAgent'` reads in any
 * SQLite shell). Why: the writer thread bounds the ingest (docs/ingest.md), and SQLite's cost per
 * row grows with the number of bound values more than with bytes. Measured on 100K generated events
 * (~780 bytes of column text each): 35 bound columns cost 14–21 µs a row to insert, the pivot
 * columns plus one JSON text 9–11 µs, more bytes and all. The JSON text is built on the reader's core.
 *
 * Kept as columns: everything a pivot index, a filter, a GROUP BY or the dedupe reads.
 * A case from before this version is rewritten in place: one UPDATE, then one DROP COLUMN each.
 */
export const DETAIL_FIELDS = [
  ['stageTimeUs', 'stage_time_us', 'value'],
  ['level', 'level', 'value'],
  ['groups', 'groups', 'json'],
  ['uid', 'uid', 'value'],
  ['impersonatedUser', 'impersonated_user', 'value'],
  ['impersonatedGroups', 'impersonated_groups', 'json'],
  ['sourceIPs', 'source_ips', 'json'],
  ['userAgent', 'user_agent', 'value'],
  ['apiGroup', 'api_group', 'value'],
  ['apiVersion', 'api_version', 'value'],
  ['reason', 'reason', 'value'],
  ['annotations', 'annotations', 'json'],
  ['requestObject', 'request_object', 'json'],
  ['responseObject', 'response_object', 'json'],
  ['provider', 'provider', 'value'],
  ['cluster', 'cluster', 'value'],
  ['missing', 'missing', 'json'],
] as const;

export const m008EventDetail: Migration = {
  version: 8,
  name: 'event-detail',
  up(db) {
    // Columns holding JSON text go in as JSON (json()), not as strings that merely look like it.
    const pairs = DETAIL_FIELDS.map(([key, col, kind]) => `'${key}', ${kind === 'json' ? `json(${col})` : col}`).join(', ');
    db.exec(`ALTER TABLE events ADD COLUMN detail TEXT NOT NULL DEFAULT '{}'`);
    db.exec(`UPDATE events SET detail = json_object(${pairs})`);
    for (const [, col] of DETAIL_FIELDS) db.exec(`ALTER TABLE events DROP COLUMN ${col}`);
  },
};
