import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/hunt/types.ts';
import type { StoredIncident } from '../../../src/engine/store/incidents.ts';
import { findingListRow, findingRow, incidentListRow, LIST_CITATIONS } from '../../../src/engine/store/list-rows.ts';

const ids = (n: number, p = 'e'): string[] => Array.from({ length: n }, (_, i) => `${p}-${i}`);

const bulk: Finding = {
  id: 'f-bulk',
  kind: 'rule',
  start: '2024-05-01T10:00:00Z',
  end: '2024-05-01T11:00:00Z',
  startUs: 1,
  endUs: 2,
  score: 0.7,
  severity: 'medium',
  title: 'Secrets listed across namespaces',
  techniques: ['T1552.007'],
  users: ['system:serviceaccount:ci:runner'],
  sourceIPs: ['10.0.4.2'],
  auditIDs: ids(3000),
  ruleIds: ['secret-enum'],
  reasons: [
    { kind: 'rule', text: 'listed secrets in 40 namespaces', auditIDs: ids(3000) },
    { kind: 'new-ip', text: 'New source 10.0.4.2', auditIDs: ids(3) },
  ],
};

describe('list rows', () => {
  it('cut a finding’s citations for a list, keeping the counts whole; the finding by id keeps them all', () => {
    const row = findingListRow(bulk);
    expect(row.auditIDs).toEqual(ids(LIST_CITATIONS));
    expect(row.events).toBe(3000);
    expect(row.reasons?.[0]).toMatchObject({ text: 'listed secrets in 40 namespaces', citedTotal: 3000 });
    expect(row.reasons?.[0].auditIDs.length).toBe(LIST_CITATIONS);
    // A reason already short enough is passed as it is, without a total.
    expect(row.reasons?.[1]).toEqual(bulk.reasons[1]);
    expect(row.triage).toBe('new');
    const whole = findingRow(bulk);
    expect(whole.auditIDs.length).toBe(3000);
    expect(whole.reasons?.[0].auditIDs.length).toBe(3000);
    // The stored finding is not changed by either.
    expect(bulk.reasons[0].auditIDs.length).toBe(3000);
  });

  it('drop an incident’s storyline and cited events from a list row and cut its reasons', () => {
    const incident = {
      id: 'inc-1', rank: 1, startUs: 1, endUs: 2, start: '2024-05-01T10:00:00Z', end: '2024-05-01T11:00:00Z', score: 0.9, severity: 'high',
      title: 'runner read secrets', techniques: [], tactics: [], users: ['system:serviceaccount:ci:runner'], sourceIPs: [], namespaces: [], objects: [],
      auditIDs: ids(3000), findings: ['f-bulk'], links: [], reasons: bulk.reasons, storyline: [], triage: 'new',
    } as unknown as StoredIncident;
    const row = incidentListRow(incident);
    expect(row.events).toBe(3000);
    expect('storyline' in row).toBe(false);
    expect('auditIDs' in row).toBe(false);
    expect(row.reasons[0].auditIDs.length).toBe(LIST_CITATIONS);
    expect(row.reasons[0].citedTotal).toBe(3000);
  });
});
