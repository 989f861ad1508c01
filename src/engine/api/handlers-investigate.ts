import type { SavedSearch, SearchQuery } from '../../shared/contract.ts';
import { entityPage, UnknownEntity } from '../events/entities.ts';
import { searchEvents } from '../events/search.ts';
import { exportSearch } from '../events/search-export.ts';
import { getCaseMeta, setCaseMeta } from '../store/case-meta.ts';
import { listMarks, setMark } from '../store/marks.ts';
import { eventExists } from '../store/search-entities.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from '../store/search-saved.ts';
import type { CaseState } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { ApiFailure } from './errors.ts';

type InvestigateHandlers = Pick<
  Handlers,
  | 'search.events'
  | 'search.export'
  | 'search.saved'
  | 'search.save'
  | 'search.unsave'
  | 'marks.list'
  | 'marks.set'
  | 'case.meta'
  | 'case.setMeta'
  | 'entities.get'
>;

/** Search, entity pages, event marks and the case's own fields (docs/ui.md 'Investigate'). */
export function investigateHandlers(cases: CaseState): InvestigateHandlers {
  const db = () => cases.require().db;
  return {
    'search.events': ({ offset, limit, ...q }) => searchEvents(db(), q, offset, limit),
    'search.export': ({ format, ...q }) => exportSearch(db(), q, format),
    'search.saved': () => listSavedSearches<SearchQuery>(db()) as SavedSearch[],
    'search.save': ({ name, query }) => {
      const d = db();
      return saveSearch(d, name, query, getCaseMeta(d).examiner);
    },
    'search.unsave': ({ id }) => ({ deleted: deleteSavedSearch(db(), id) }),
    'marks.list': (filter) => listMarks(db(), filter),
    'marks.set': ({ auditID, ...change }) => {
      const d = db();
      if (!eventExists(d, auditID)) throw new ApiFailure('not-found', `no event ${auditID.slice(0, 80)}`);
      try {
        return setMark(d, auditID, change, getCaseMeta(d).examiner);
      } catch (err) {
        throw new ApiFailure('user', err instanceof Error ? err.message : String(err));
      }
    },
    'case.meta': () => getCaseMeta(db()),
    'case.setMeta': (patch) => setCaseMeta(db(), patch),
    'entities.get': ({ kind, key }) => {
      try {
        return entityPage(db(), kind, key);
      } catch (err) {
        if (err instanceof UnknownEntity) throw new ApiFailure('not-found', err.message);
        throw err;
      }
    },
  };
}
