import type { Migration } from './index.ts';

/**
 * Sessions cut by an actor's gaps end at their last event, not at a clock slice's end: the end is
 * stored. Earlier rows keep null and are read as their slice's end.
 */
export const m012SessionEnd: Migration = {
  version: 12,
  name: 'session-end',
  up(db) {
    db.exec('alter table sessions add column end_us integer');
  },
};
