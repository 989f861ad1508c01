import type { Db } from './db.ts';
import { appendJournal } from './journal.ts';
import type { CaseMeta } from '../../shared/contract.ts';

/** What a signed report says about the case itself (every field free text, null until set): the contract's type. */
export type { CaseMeta };

export const CASE_META_FIELDS: readonly (keyof CaseMeta)[] = ['examiner', 'caseNumber', 'requester', 'scope', 'summary', 'conclusions'];

const COLUMN: Record<keyof CaseMeta, string> = {
  examiner: 'examiner',
  caseNumber: 'case_number',
  requester: 'requester',
  scope: 'scope',
  summary: 'summary',
  conclusions: 'conclusions',
};

const EMPTY: CaseMeta = { examiner: null, caseNumber: null, requester: null, scope: null, summary: null, conclusions: null };

interface CaseMetaTuple {
  examiner: string | null;
  case_number: string | null;
  requester: string | null;
  scope: string | null;
  summary: string | null;
  conclusions: string | null;
}

/** The case's fields; all null for a case nobody has described yet. */
export function getCaseMeta(db: Db): CaseMeta {
  const r = db.prepare('select examiner, case_number, requester, scope, summary, conclusions from case_meta where id = 1').get() as CaseMetaTuple | undefined;
  if (!r) return { ...EMPTY };
  return { examiner: r.examiner, caseNumber: r.case_number, requester: r.requester, scope: r.scope, summary: r.summary, conclusions: r.conclusions };
}

/** The examiner to record as author or actor of what the analyst does now; null until set. */
export function currentExaminer(db: Db): string | null {
  return getCaseMeta(db).examiner;
}

/**
 * Change the fields present in `patch` (undefined leaves a field alone; null or an empty or
 * blank string clears it) and journal what changed, with the examiner as actor. Returns the
 * fields after the change.
 */
export function setCaseMeta(db: Db, patch: Partial<CaseMeta>): CaseMeta {
  return db.transaction(() => {
    const before = getCaseMeta(db);
    const after: CaseMeta = { ...before };
    const changed: Partial<Record<keyof CaseMeta, { from: string | null; to: string | null }>> = {};
    for (const k of CASE_META_FIELDS) {
      const v = patch[k];
      if (v === undefined) continue;
      const next = v === null || v.trim() === '' ? null : v.trim();
      if (next === before[k]) continue;
      after[k] = next;
      changed[k] = { from: before[k], to: next };
    }
    if (Object.keys(changed).length === 0) return after;
    const at = new Date().toISOString();
    const cols = CASE_META_FIELDS.map((k) => COLUMN[k]);
    db.prepare(
      `insert into case_meta (id, ${cols.join(', ')}, updated_at) values (1, ${cols.map(() => '?').join(', ')}, ?)
       on conflict(id) do update set ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`,
    ).run(...CASE_META_FIELDS.map((k) => after[k]), at);
    // Summary and conclusions can be pages long: the journal says they changed, not what to.
    const detail = Object.fromEntries(
      Object.entries(changed).map(([k, c]) => [k, k === 'summary' || k === 'conclusions' ? { changed: true } : c]),
    );
    appendJournal(db, { action: 'case', actor: after.examiner, at, detail });
    return after;
  })();
}
