import type { Migration } from './index.ts';

/**
 * Sessions cut by an actor's gaps end at their last event, not at a clock slice's end: the end is
 * stored. Earlier rows keep null and are read as their slice's end.
 *
 * Numbered 33, outside the sessions range: migrate() applies only versions above a case's stored
 * one, so a case made by the previous release (at 21) would never receive a 12. Written to be a
 * no-op where a development build already added the column under that number.
 */
export const m033SessionEnd: Migration = {
  version: 33,
  name: 'session-end',
  up(db) {
    const cols = db.prepare('select name from pragma_table_info(?)').all('sessions') as { name: string }[];
    if (!cols.some((c) => c.name === 'end_us')) db.exec('alter table sessions add column end_us integer');
  },
};
