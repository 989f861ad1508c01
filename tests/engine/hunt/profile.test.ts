import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { buildProfile, entityKey } from '../../../src/engine/hunt/profile.ts';
import { ev, MIN, T0, tinyCase } from './case-fixture.ts';

describe('buildProfile', () => {
  it('reads the events once, and finds the same profile as when the span is given', () => {
    const { events, sessions } = tinyCase();
    let passes = 0;
    const profile = buildProfile(sessions, () => {
      passes++;
      return events;
    });
    // Each pass re-reads every event of the case from the store: the hunt's largest cost.
    expect(passes).toBe(1);
    const span = { startUs: events[0].timeUs, endUs: events.at(-1)!.timeUs };
    expect(profile).toEqual(buildProfile(sessions, () => events, { spanUs: span }));
    expect(profile.sessions.get(26)!.novel.map((n) => [n.kind, n.value, n.auditID])).toEqual([
      ['sourceIP', '203.0.113.9', 'b-0'],
      ['namespace', 'hardening', 'b-0'],
      ['user', 'bob', 'b-0'],
      ['resource', 'secrets', 'b-0'],
    ]);
  });

  it('decides novelty against a baseline of the dated span: an undated event stretches nothing', () => {
    const undated: AuditEvent = { ...ev('u-1', 0, 'get', 'carol', '198.51.100.7', 'default', 'pods'), missing: ['time'] };
    const events = [
      undated,
      ev('d-1', T0, 'get', 'alice', '10.0.0.1', 'default', 'pods'),
      ev('d-2', T0 + 5 * MIN, 'get', 'dave', '10.0.0.1', 'default', 'pods'),
      ev('d-3', T0 + 50 * MIN, 'get', 'erin', '10.0.0.1', 'default', 'pods'),
      ev('d-4', T0 + 100 * MIN, 'get', 'alice', '10.0.0.1', 'default', 'pods'),
    ];
    const sessions = [{ id: 1, startUs: T0 + 50 * MIN, endUs: T0 + 51 * MIN, auditIDs: ['d-3'] }];
    const p = buildProfile(sessions, () => events);
    expect([p.startUs, p.endUs, p.baselineEndUs]).toEqual([T0, T0 + 100 * MIN, T0 + 10 * MIN]);
    // dave acts inside the first tenth (the baseline), erin after it.
    expect(p.firstSeen.has(entityKey('user', 'dave'))).toBe(false);
    expect(p.firstSeen.get(entityKey('user', 'erin'))).toEqual({ kind: 'user', value: 'erin', timeUs: T0 + 50 * MIN, auditID: 'd-3' });
    expect(p.sessions.get(1)!.novel.map((n) => n.value)).toEqual(['erin']);
    expect(p.totalEvents).toBe(5);
  });
});
