import type { IncidentDetail, IncidentRow } from '../../shared/contract.ts';
import type { TriageState } from '../../shared/domain.ts';
import { getIncident, listIncidents, setIncidentTriage, type StoredIncident } from '../store/incidents.ts';
import { appendJournal } from '../store/journal.ts';
import { currentExaminer } from '../store/case-meta.ts';
import type { CaseState } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { ApiFailure } from './errors.ts';

type IncidentHandlers = Pick<Handlers, 'incidents.list' | 'incidents.get' | 'incidents.setTriage'>;

const toRow = (i: StoredIncident): IncidentRow => {
  const { storyline: _s, auditIDs, startUs: _a, endUs: _b, ...rest } = i;
  return { ...rest, events: auditIDs.length };
};
const toDetail = (i: StoredIncident): IncidentDetail => {
  const { startUs: _a, endUs: _b, ...rest } = i;
  return rest;
};

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
      return { rows: rows.slice(offset, offset + limit).map(toRow), total: rows.length };
    },
    'incidents.get': ({ incidentId }) => toDetail(must(incidentId)),
    'incidents.setTriage': ({ incidentId, state }) => {
      const d = db();
      must(incidentId);
      const from = setIncidentTriage(d, incidentId, state);
      appendJournal(d, { action: 'triage', actor: currentExaminer(d), detail: { incidentId, from, to: state } });
      return toDetail(must(incidentId));
    },
  };
}
