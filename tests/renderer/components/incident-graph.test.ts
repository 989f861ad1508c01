import { describe, expect, it } from 'vitest';
import type { IncidentDetail } from '../../../src/shared/contract.ts';
import { incidentGraph } from '../../../src/renderer/src/components/incident-graph.ts';

const base: IncidentDetail = {
  id: 'I-1', title: 't', start: '2024-03-04T10:05:00Z', end: '2024-03-04T10:07:00Z', score: 0.9, severity: 'high', tactics: [], techniques: [],
  users: ['alice', 'system:serviceaccount:web:deployer'], sourceIPs: ['198.51.100.23'], namespaces: ['web'], objects: ['pods web/debug'],
  auditIDs: ['a1', 'a2', 'a3'], findings: [], reasons: [], triage: 'new', rank: 1,
  links: [{ kind: 'minted-token', from: 'alice', to: 'system:serviceaccount:web:deployer', text: 'alice minted a token for deployer', auditIDs: ['a2'] }],
  storyline: [
    { time: '2024-03-04T10:05:00Z', auditID: 'a1', user: 'alice', sourceIPs: ['198.51.100.23'], verb: 'create', target: 'pods web/debug', summary: 's', outcome: 'success', tactics: [], techniques: [], findingIds: [], why: [] },
    { time: '2024-03-04T10:06:00Z', auditID: 'a3', user: 'system:serviceaccount:web:deployer', sourceIPs: ['198.51.100.23'], verb: 'get', target: 'secrets web/db', summary: 's', outcome: 'denied', tactics: [], techniques: [], findingIds: [], why: [] },
  ],
};

describe('incidentGraph', () => {
  it('joins actors, their addresses, what they touched and the token link, with type:label ids', () => {
    const g = incidentGraph(base);
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['ip:198.51.100.23', 'namespace:web', 'object:pods web/debug', 'object:secrets web/db', 'user:alice', 'user:system:serviceaccount:web:deployer']);
    expect(g.edges).toContainEqual({ source: 'user:alice', target: 'user:system:serviceaccount:web:deployer', weight: 1 });
    expect(g.edges).toContainEqual({ source: 'ip:198.51.100.23', target: 'user:system:serviceaccount:web:deployer', weight: 1 });
    expect(g.nodeEvents['object:secrets web/db']).toEqual(['a3']);
    // Objects hang off their namespace.
    expect(g.edges).toContainEqual({ source: 'object:secrets web/db', target: 'namespace:web', weight: 1 });
    // Two actors, one address: the address node is one node with two edges.
    expect(g.edges.filter((e) => e.source === 'ip:198.51.100.23')).toHaveLength(2);
  });

  it('without a storyline, ties the named actors to the named addresses and objects', () => {
    const g = incidentGraph({ ...base, storyline: [], links: [] });
    expect(g.edges).toContainEqual({ source: 'user:alice', target: 'object:pods web/debug', weight: 1 });
    expect(g.edges).toContainEqual({ source: 'ip:198.51.100.23', target: 'user:alice', weight: 1 });
  });
});
