import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../../src/engine/api/case-state.ts';
import { dispatch, type Handlers } from '../../../src/engine/api/dispatch.ts';
import { investigateHandlers } from '../../../src/engine/api/handlers-investigate.ts';
import { incidentHandlers } from '../../../src/engine/api/handlers-incidents.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';
import { investigationCase } from '../events/case-fixture.ts';

function setup() {
  const { db } = investigationCase();
  const cases = { require: () => ({ db, info: { dir: '/c', name: 'c' } }) } as unknown as CaseState;
  const handlers = { ...investigateHandlers(cases), ...incidentHandlers(cases) } as unknown as Handlers;
  const call = async (channel: string, args: unknown) => dispatch(handlers, channel, args);
  return { db, call };
}

describe('investigate handlers', () => {
  it('searches with validated fields and refuses a malformed code', async () => {
    const { call } = setup();
    const ok = await call('search.events', { user: 'alice', code: '4xx' });
    expect(ok).toMatchObject({ ok: true, value: { total: 1, rows: [{ auditID: 'alice-secret', outcome: 'denied' }] } });
    const bad = await call('search.events', { code: '4x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const cidr = await call('search.events', { ip: 'not-an-ip' });
    expect(cidr).toMatchObject({ ok: false, error: { code: 'user' } });
  });

  it('records the examiner on marks, saved searches and incident triage', async () => {
    const { db, call } = setup();
    await call('case.setMeta', { examiner: 'Dana Reyes', caseNumber: 'IR-7' });
    expect(await call('case.meta', {})).toMatchObject({ ok: true, value: { examiner: 'Dana Reyes', caseNumber: 'IR-7', scope: null } });
    expect(await call('marks.set', { auditID: 'alice-exec', tags: ['escape'] })).toMatchObject({ ok: true, value: { author: 'Dana Reyes', tags: ['escape'] } });
    expect(await call('marks.set', { auditID: 'no-such-event', starred: true })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('search.save', { name: 'alice denied', query: { user: 'alice', code: '403' } })).toMatchObject({ ok: true, value: { author: 'Dana Reyes' } });
    expect(await call('search.saved', {})).toMatchObject({ ok: true, value: [{ name: 'alice denied', query: { user: 'alice', code: '403' } }] });
    await call('incidents.setTriage', { incidentId: 'I-alice', state: 'malicious' });
    const triage = listJournal(db).filter((e) => e.action === 'triage');
    expect(triage.map((e) => e.actor)).toEqual(['Dana Reyes']);
  });

  it('exports a search and opens entity pages, answering not-found for an unknown one', async () => {
    const { call } = setup();
    const csv = await call('search.export', { userAgent: 'curl', format: 'csv' });
    expect(csv).toMatchObject({ ok: true, value: { rows: 1, truncated: false } });
    expect(await call('entities.get', { kind: 'ip', key: '203.0.113.50' })).toMatchObject({ ok: true, value: { events: 1, users: [{ value: 'system:anonymous' }] } });
    expect(await call('entities.get', { kind: 'user', key: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
