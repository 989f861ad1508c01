import type { Migration } from './index.ts';

/**
 * The 'actor' objective's answer beside each embedding run (model/objective.ts): per session, the
 * softmax over the model's classes (the case's regular identities, then "(other)"), row-major
 * [count, classes] float32, in the order of the model config's `classes`. The hunt reads the
 * probability of a session's own identity from it ("this does not look like alice's work") and
 * names the identities it looks like instead. Null for runs of other objectives, for the untrained
 * map, and for runs stored before this migration.
 */
export const m036ClassProbabilities: Migration = {
  version: 36,
  name: 'class-probabilities',
  up(db) {
    db.exec('alter table embedding_runs add column class_probs blob');
  },
};
