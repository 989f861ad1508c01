import { pageJournal } from '../store/journal.ts';
import type { CaseState } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { toJournalItem } from '../store/journal-summary.ts';

/**
 * The case journal as the chain-of-custody record: newest first, a page at a time, optionally of
 * some actions only. A plain function of the open case, as every read handler is.
 */
export function journalHandlers(cases: CaseState): Pick<Handlers, 'journal.list'> {
  return {
    'journal.list': ({ action, offset, limit }) => {
      const page = pageJournal(cases.require().db, { offset, limit, actions: action });
      return { rows: page.rows.map(toJournalItem), total: page.total };
    },
  };
}
