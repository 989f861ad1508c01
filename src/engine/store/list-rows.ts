import type { FindingRow, IncidentDetail, IncidentRow } from '../../shared/contract.ts';
import type { Reason } from '../../shared/domain.ts';
import type { Finding } from '../hunt/types.ts';
import type { StoredIncident } from './incidents.ts';

/**
 * How many cited events a list row carries, for the finding and for each reason. A list shows
 * reasons as text and a count; the citations are for the one finding or incident opened, which is
 * read whole by id. Uncut, a bulk rule's reasons cite thousands of events: on a 3-day scale-1 case
 * they were 1.45 of the 1.55 MB of incidents.list, and citations 3.0 of the 3.2 MB of
 * findings.list, copied to the UI on every refresh.
 */
export const LIST_CITATIONS = 20;

/** Each reason cut to LIST_CITATIONS events, saying how many it cites. */
export function listReasons(reasons: readonly Reason[]): Reason[] {
  return reasons.map((r) => (r.auditIDs.length <= LIST_CITATIONS ? r : { ...r, auditIDs: r.auditIDs.slice(0, LIST_CITATIONS), citedTotal: r.auditIDs.length }));
}

/** A finding whole, as findings.get gives it. */
export const findingRow = (f: Finding): FindingRow => ({ ...f, triage: f.triage ?? 'new', events: f.auditIDs.length });

/** A finding as a list carries it: citations cut (above), counts whole. */
export const findingListRow = (f: Finding): FindingRow => ({ ...findingRow(f), auditIDs: f.auditIDs.slice(0, LIST_CITATIONS), reasons: listReasons(f.reasons) });

/** An incident as a list carries it: no storyline or cited events (incidents.get has them), reasons cut. */
export const incidentListRow = (i: StoredIncident): IncidentRow => {
  const { storyline: _s, auditIDs, startUs: _a, endUs: _b, reasons, ...rest } = i;
  return { ...rest, reasons: listReasons(reasons), events: auditIDs.length };
};

/** An incident whole, as incidents.get gives it. */
export const incidentDetail = (i: StoredIncident): IncidentDetail => {
  const { startUs: _a, endUs: _b, ...rest } = i;
  return rest;
};
