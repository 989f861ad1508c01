import type { TriageState } from '../../shared/domain.ts';
import { getIncident, listIncidents, setIncidentTriage, type StoredIncident } from '../store/incidents.ts';
import { incidentDetail, incidentListRow } from '../store/list-rows.ts';
import { appendJournal } from '../store/journal.ts';
import { currentExaminer } from '../store/case-meta.ts';
import type { CaseState } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { ApiFailure } from './errors.ts';

type IncidentHandlers = Pick<Handlers, 'incidents.list' | 'incidents.get' | 'incidents.setTriage'>;


export function incidentHandlers(cases: CaseState): IncidentHandlers {
  const db = () => cases.require().db;
  const must = (id: string): StoredIncident => {
    const i = getIncident(db(), id);
    if (!i) throw new ApiFailure('not-found', `no incident ${id.slice(0, 80)}`);
    return i;
  };
  return {
    'incidents.list': ({ severity, triage, user, sourceIP, offset, limit }) => {
      const rows = listIncidents(db(), { severities: severity, states: triage as TriageState[] | undefined, user, sourceIP });
      return { rows: rows.slice(offset, offset + limit).map(incidentListRow), total: rows.length };
    },
    'incidents.get': ({ incidentId }) => incidentDetail(must(incidentId)),
    'incidents.setTriage': ({ incidentId, state }) => {
      const d = db();
      must(incidentId);
      const from = setIncidentTriage(d, incidentId, state);
      appendJournal(d, { action: 'triage', actor: currentExaminer(d), detail: { incidentId, from, to: state } });
      return incidentDetail(must(incidentId));
    },
  };
}
