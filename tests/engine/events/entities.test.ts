import { describe, expect, it } from 'vitest';
import { entityPage, parseObjectKey, UnknownEntity } from '../../../src/engine/events/entities.ts';
import { setMark } from '../../../src/engine/store/marks.ts';
import { saveHuntRun } from '../../../src/engine/store/findings.ts';
import type { Finding } from '../../../src/engine/hunt/types.ts';
import { investigationCase, MIN, T0 } from './case-fixture.ts';

describe('entityPage', () => {
  const { db } = investigationCase();
  setMark(db, 'alice-exec', { tags: ['escape'] }, 'Dana');
  setMark(db, 'scan-1', { starred: true }, 'Dana');
  const finding = (id: string, users: string[], ips: string[], auditIDs: string[], score: number): Finding => ({
    id, kind: 'rule', title: `rule ${id}`, start: '2024-03-04T10:00:00Z', end: '2024-03-04T10:10:00Z', startUs: T0, endUs: T0 + 10 * MIN, score, severity: 'high',
    techniques: ['T1609'], users, sourceIPs: ips, auditIDs, reasons: [], ruleIds: ['r'],
  });
  saveHuntRun(db, { startedAt: 't', config: {}, metrics: {} }, [
    finding('F-exec', ['alice@example.com'], ['198.51.100.23'], ['alice-exec'], 0.9),
    finding('F-scan', ['system:anonymous'], ['203.0.113.50'], ['scan-1'], 0.5),
  ]);

  it('an identity: span, activity, verbs × resources, addresses and agents, its incident and marks', () => {
    const p = entityPage(db, 'user', 'alice@example.com');
    expect(p.events).toBe(3);
    expect([p.firstUs, p.lastUs]).toEqual([T0 + 5 * MIN + 1, T0 + 7 * MIN]);
    expect(p.activity.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(p.activity.bucketUs).toBe(3_600_000_000);
    expect(p.verbsByResource).toEqual([
      { verb: 'create', resource: 'pods', events: 1 },
      { verb: 'create', resource: 'pods/exec', events: 1 },
      { verb: 'get', resource: 'secrets', events: 1 },
    ]);
    expect(p.ips).toEqual([{ value: '198.51.100.23', events: 2 }, { value: '2001:db8:5::17', events: 1 }]);
    expect(p.agents).toEqual([{ value: 'kubectl/v1.29.0 (linux/amd64)', events: 3 }]);
    expect(p.users).toEqual([]);
    expect(p.namespaces.map((n) => n.value)).toEqual(['web', 'kube-system']);
    expect(p.incidents.map((i) => i.id)).toEqual(['I-alice']);
    expect(p.findings.map((f) => f.id)).toEqual(['F-exec']);
    expect(p.marks.map((m) => m.auditID)).toEqual(['alice-exec']);
  });

  it('an address that only a finding names: that finding, no incident', () => {
    const p = entityPage(db, 'ip', '203.0.113.50');
    expect(p.findings.map((f) => f.id)).toEqual(['F-scan']);
    expect(p.incidents).toEqual([]);
  });

  it('an address: the identities seen from it', () => {
    const p = entityPage(db, 'ip', '198.51.100.23');
    expect(p.users).toEqual([{ value: 'alice@example.com', events: 2 }]);
    expect(p.ips).toEqual([]);
    expect(p.incidents.map((i) => i.id)).toEqual(['I-alice']);
  });

  it('a namespace: who acted in it', () => {
    const p = entityPage(db, 'namespace', 'kube-system');
    expect(p.events).toBe(31);
    expect(p.users.map((u) => u.value)).toEqual(['system:kube-controller-manager', 'alice@example.com']);
  });

  it('an object: its create (named only in the body) and the exec into it', () => {
    const p = entityPage(db, 'object', 'pods/web/debug-94pmq');
    expect(p.events).toBe(2);
    expect(p.verbsByResource.map((v) => `${v.verb} ${v.resource}`)).toEqual(['create pods', 'create pods/exec']);
    expect(p.incidents.map((i) => i.id)).toEqual(['I-alice']);
    // The finding citing the exec into it.
    expect(p.findings.map((f) => f.id)).toEqual(['F-exec']);
    expect(p.marks.map((m) => m.auditID)).toEqual(['alice-exec']);
  });

  it('an entity the case never saw is an UnknownEntity, not an empty page', () => {
    expect(() => entityPage(db, 'user', 'nobody')).toThrow(UnknownEntity);
    expect(() => entityPage(db, 'object', 'pods/web/nope')).toThrow(UnknownEntity);
    expect(() => entityPage(db, 'object', 'pods')).toThrow(UnknownEntity);
  });

  it('object keys: cluster-scoped objects have an empty namespace', () => {
    expect(parseObjectKey('clusterrolebindings//backdoor')).toEqual({ resource: 'clusterrolebindings', namespace: null, name: 'backdoor' });
    expect(parseObjectKey('secrets/kube-system/admin-token')).toEqual({ resource: 'secrets', namespace: 'kube-system', name: 'admin-token' });
  });
});
