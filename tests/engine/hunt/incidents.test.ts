import { describe, expect, it } from 'vitest';
import { buildIncidents } from '../../../src/engine/hunt/incidents.ts';
import { usToRfc3339 } from '../../../src/engine/hunt/time.ts';
import type { Finding } from '../../../src/engine/hunt/types.ts';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { event } from '../sessions/synth.ts';

const MIN = 60e6;
const T0 = 1_700_000_000_000_000;

function finding(id: string, events: AuditEvent[], score: number, extra: Partial<Finding> = {}): Finding {
  const ts = events.map((e) => e.timeUs);
  return {
    id, kind: 'anomaly', title: `finding ${id}`, start: usToRfc3339(Math.min(...ts)), end: usToRfc3339(Math.max(...ts)), startUs: Math.min(...ts), endUs: Math.max(...ts),
    score, severity: score > 0.6 ? 'high' : 'medium', techniques: [], users: [...new Set(events.map((e) => e.user))], sourceIPs: [...new Set(events.flatMap((e) => e.sourceIPs))],
    auditIDs: events.map((e) => e.auditID), ruleIds: [], reasons: [{ kind: 'new-action', text: `why ${id}`, auditIDs: events.map((e) => e.auditID) }], ...extra,
  };
}

function run(findings: Finding[], events: AuditEvent[], usersPerIp: Record<string, number> = {}) {
  const byId = new Map(events.map((e) => [e.auditID, e]));
  return buildIncidents({ findings, getEvents: (ids) => ids.flatMap((id) => byId.get(id) ?? []), usersOfIp: (ip) => usersPerIp[ip] ?? 1 });
}

describe('incidents', () => {
  it('attributes exactly: a finding that cites a bystander’s event lends it no incident of the suspect', () => {
    const mine = event({ auditID: 'm1', timeUs: T0, user: 'mallory@example.com', verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db', sourceIPs: ['198.51.100.7'] });
    const lease = event({ auditID: 'k1', timeUs: T0 + 1, user: 'system:kube-controller-manager', verb: 'update', resource: 'leases', namespace: 'kube-system', sourceIPs: ['10.0.0.5'] });
    const incidents = run([finding('F-1', [mine, lease], 0.8, { reasons: [{ kind: 'new-sourceIP', text: 'new address', auditIDs: ['m1'] }] })], [mine, lease]);
    const suspect = incidents.find((i) => i.users.includes('mallory@example.com'))!;
    expect(suspect.users).toEqual(['mallory@example.com']);
    expect(suspect.auditIDs).toEqual(['m1']);
    expect(suspect.sourceIPs).toEqual(['198.51.100.7']);
    // The finding's reason cites the suspect's event; the bystander was only in the session: no incident of it.
    expect(incidents.map((i) => i.users)).toEqual([['mallory@example.com']]);
    // A finding whose reasons cite no one leaves every actor a bystander's share, each apart.
    const uncited = run([finding('F-2', [mine, lease], 0.8, { reasons: [{ kind: 'size', text: '2 events', auditIDs: ['m1', 'k1'] }] })], [mine, lease]);
    expect(uncited.map((i) => [i.users[0], i.score]).sort()).toEqual([['mallory@example.com', 0.2], ['system:kube-controller-manager', 0.2]]);
  });

  it('gives the whole score to the actor a rule fired on inside a mixed session', () => {
    const mine = event({ auditID: 'r1', timeUs: T0, user: 'mallory@example.com', sourceIPs: ['198.51.100.7'] });
    const others = [1, 2, 3].map((i) => event({ auditID: `o${i}`, timeUs: T0 + i, user: 'system:node:n1', sourceIPs: ['10.0.1.1'] }));
    const f = finding('F-1', [mine, ...others], 0.8, { kind: 'correlated', severity: 'high', reasons: [{ kind: 'rule-hit', text: 'rule', auditIDs: ['r1'] }] });
    const incidents = run([f], [mine, ...others], { '10.0.1.1': 9 });
    const suspect = incidents.find((i) => i.users.includes('mallory@example.com'))!;
    expect(suspect.score).toBe(0.8);
    expect(incidents.some((i) => i.users.includes('system:node:n1'))).toBe(false);
  });

  it('joins two identities that used one rare address, and not through a busy one', () => {
    const a = event({ auditID: 'a1', timeUs: T0, user: 'alice@example.com', sourceIPs: ['203.0.113.9'] });
    const b = event({ auditID: 'b1', timeUs: T0 + 30 * MIN, user: 'system:serviceaccount:web:api', sourceIPs: ['203.0.113.9'] });
    const joined = run([finding('F-a', [a], 0.5), finding('F-b', [b], 0.6)], [a, b], { '203.0.113.9': 2 });
    expect(joined).toHaveLength(1);
    expect(joined[0].users).toEqual(['alice@example.com', 'system:serviceaccount:web:api']);
    expect(joined[0].links.map((l) => l.kind)).toEqual(['shared-ip']);
    expect(joined[0].findings.sort()).toEqual(['F-a', 'F-b']);
    // The same address used by forty identities (a NAT gateway) joins nothing, nor a node's own address.
    expect(run([finding('F-a', [a], 0.5), finding('F-b', [b], 0.6)], [a, b], { '203.0.113.9': 40 })).toHaveLength(2);
    const byId = new Map([a, b].map((e) => [e.auditID, e]));
    const viaNode = buildIncidents({ findings: [finding('F-a', [a], 0.5), finding('F-b', [b], 0.6)], getEvents: (ids) => ids.flatMap((id) => byId.get(id) ?? []), usersOfIp: () => 2, isNodeAddress: () => true });
    expect(viaNode).toHaveLength(2);
  });

  it('joins a minted token to what its service account then did', () => {
    const mint = event({ auditID: 't1', timeUs: T0, user: 'mallory@example.com', verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'web', name: 'worker', sourceIPs: ['198.51.100.7'] });
    const use = event({ auditID: 't2', timeUs: T0 + 10 * MIN, user: 'system:serviceaccount:web:worker', verb: 'list', resource: 'secrets', sourceIPs: ['192.0.2.44'] });
    const [inc, ...rest] = run([finding('F-m', [mint], 0.7), finding('F-u', [use], 0.5)], [mint, use]);
    expect(rest).toHaveLength(0);
    expect(inc.links).toEqual([expect.objectContaining({ kind: 'minted-token', from: 'mallory@example.com', to: 'system:serviceaccount:web:worker', auditIDs: ['t1'] })]);
    expect(inc.storyline.map((s) => s.auditID)).toEqual(['t1', 't2']);
    expect(inc.score).toBeGreaterThan(0.7);
  });

  it('joins an account created and granted a role to its later use, but not a use long after', () => {
    const create = event({ auditID: 'g1', timeUs: T0, user: 'eve@example.com', verb: 'create', resource: 'serviceaccounts', namespace: 'ops', requestObject: { metadata: { name: 'helper' } } });
    const bind = event({
      auditID: 'g2', timeUs: T0 + MIN, user: 'eve@example.com', verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io',
      requestObject: { roleRef: { kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'helper', namespace: 'ops' }] },
    });
    const use = event({ auditID: 'g3', timeUs: T0 + 90 * MIN, user: 'system:serviceaccount:ops:helper', verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' });
    const late = event({ auditID: 'g4', timeUs: T0 + 9 * 24 * 60 * MIN, user: 'system:serviceaccount:ops:helper', verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' });
    // All four come from the fixture's default address: a busy one here, so only the hand-overs join.
    const incidents = run([finding('F-c', [create, bind], 0.6), finding('F-u', [use], 0.5), finding('F-l', [late], 0.4)], [create, bind, use, late], { '192.168.7.20': 50 });
    expect(incidents).toHaveLength(2);
    const main = incidents.find((i) => i.findings.includes('F-c'))!;
    expect(main.findings.sort()).toEqual(['F-c', 'F-u']);
    expect(main.links.map((l) => l.kind).sort()).toEqual(['created-identity', 'granted-identity']);
    expect(main.storyline.find((s) => s.auditID === 'g2')?.summary).toMatch(/secret-reader/);
  });

  it('keeps an actor’s episodes apart when hours lie between them, and ranks by score', () => {
    const e1 = event({ auditID: 'p1', timeUs: T0, user: 'bob@example.com' });
    const e2 = event({ auditID: 'p2', timeUs: T0 + 5 * 60 * MIN, user: 'bob@example.com' });
    const incidents = run([finding('F-1', [e1], 0.4), finding('F-2', [e2], 0.9)], [e1, e2]);
    expect(incidents.map((i) => i.findings)).toEqual([['F-2'], ['F-1']]);
    expect(incidents[0].id).toMatch(/^I-[0-9a-f]{10}$/);
    // A denied request hands nothing over: no link, no join.
    const denied = event({ auditID: 'd1', timeUs: T0, user: 'mallory@example.com', verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'web', name: 'worker', responseCode: 403, decision: 'forbid' });
    const use = event({ auditID: 'd2', timeUs: T0 + MIN, user: 'system:serviceaccount:web:worker', sourceIPs: ['192.0.2.1'] });
    expect(run([finding('F-d', [denied], 0.5), finding('F-e', [use], 0.5)], [denied, use])).toHaveLength(2);
  });
});
