import { describe, expect, it } from 'vitest';
import { buildProfile, sizePercentile } from '../../../src/engine/hunt/profile.ts';
import { explainSession, nearestNormal } from '../../../src/engine/hunt/explain.ts';
import { occludeNodes } from '../../../src/engine/hunt/occlusion.ts';
import type { HuntGraph } from '../../../src/engine/hunt/types.ts';
import { markNodes } from '../../../src/engine/api/reason-nodes.ts';
import { buildGraph } from '../../../src/engine/sessions/graph.ts';
import { NODE_TYPES, ACTOR } from '../../../src/engine/sessions/presets.ts';
import { ev, MIN, T0, tinyCase } from './case-fixture.ts';

describe('first-seen novelty and explanations', () => {
  const { events, sessions } = tinyCase();
  const profile = buildProfile(sessions, () => events);
  const byId = new Map(events.map((e) => [e.auditID, e]));
  const eventsOf = (sid: number) => sessions.find((s) => s.id === sid)!.auditIDs.map((id) => byId.get(id)!);

  it('reports the IP, user, namespace and resource first seen in the session, citing the first event', () => {
    const reasons = explainSession(26, { profile, events: eventsOf(26), ruleHits: [] });
    const novel = reasons.filter((r) => r.kind.startsWith('new-'));
    expect(novel.map((r) => [r.kind, r.auditIDs])).toEqual([
      ['new-sourceIP', ['b-0']],
      ['new-namespace', ['b-0']],
      ['new-user', ['b-0']],
      ['new-resource', ['b-0']],
    ]);
    expect(novel[0].text).toContain('203.0.113.9');
  });

  it('does not call anything new once it has been seen, nor in the baseline', () => {
    expect(explainSession(28, { profile, events: eventsOf(28), ruleHits: [] }).filter((r) => r.kind.startsWith('new-'))).toEqual([]);
    // Session 1 sees alice, 10.0.0.1, default and pods for the first time, inside the baseline.
    expect(explainSession(1, { profile, events: eventsOf(1), ruleHits: [] }).filter((r) => r.kind.startsWith('new-'))).toEqual([]);
  });

  it('gives the verbs rarest first, the size percentile among same-verb peers, and rare pairs', () => {
    const reasons = explainSession(26, { profile, events: eventsOf(26), ruleHits: [] });
    const verbs = reasons.find((r) => r.kind === 'verbs')!;
    expect(verbs.text).toMatch(/^Verbs: create ×1/);
    expect(verbs.auditIDs).toEqual(['b-0']);
    // Session 26 has 11 lists of 16 events: main verb list, the only list-majority session.
    expect(sizePercentile(profile, 26)).toMatchObject({ verb: 'list', peers: 1, events: 16 });
    expect(sizePercentile(profile, 2)).toMatchObject({ verb: 'get', peers: 29 });
    const pairs = reasons.filter((r) => r.kind === 'rare-pair');
    // bob → 203.0.113.9 and bob → secrets each occur 13 times: not rare. Nothing here is rare.
    expect(pairs).toEqual([]);
    const late = explainSession(28, { profile, events: eventsOf(28), ruleHits: [] });
    expect(late.some((r) => r.kind === 'rare-pair')).toBe(false);
  });

  it('flags a pair seen once as rare', () => {
    const extra = [...events, ev('c-1', T0 + 29 * MIN + 59e6, 'delete', 'alice', '10.0.0.1', 'default', 'secrets')];
    const s = sessions.map((x) => (x.id === 30 ? { ...x, auditIDs: [...x.auditIDs, 'c-1'] } : x));
    const p = buildProfile(s, () => extra);
    const reasons = explainSession(30, { profile: p, events: [extra.at(-1)!], ruleHits: [] });
    expect(reasons.filter((r) => r.kind === 'rare-pair').map((r) => [r.text, r.auditIDs])).toEqual([
      ['Rare pair user → resource: alice → secrets, 1 time in the case', ['c-1']],
    ]);
  });

  it('refuses events out of time order', () => {
    expect(() => buildProfile(sessions, () => [...events].reverse())).toThrow(/time order/);
  });

  it('finds the nearest normal sessions by embedding distance, skipping anomalies', () => {
    const emb = { sessionIds: [1, 2, 3, 4], dim: 2, data: Float32Array.from([0, 0, 1, 0, 5, 5, 0.5, 0]) };
    expect(nearestNormal(1, emb, new Set([1, 4]), 2)).toEqual([
      { sessionId: 2, distance: 1 },
      { sessionId: 3, distance: Math.sqrt(50) },
    ]);
  });

  it('finds by occlusion the node that drives the score', async () => {
    const graph: HuntGraph = {
      nodes: [
        { id: 0, type: 'user', label: 'bob' },
        { id: 1, type: 'sourceIP', label: '203.0.113.9' },
        { id: 2, type: 'resource', label: 'secrets' },
      ],
      edges: [
        { src: 0, dst: 1, weight: 1 },
        { src: 0, dst: 2, weight: 1 },
      ],
      auditIDs: [],
    };
    // A score that depends on the IP node only.
    const top = await occludeNodes(graph, (g) => (g.nodes.some((n) => n.label === '203.0.113.9') ? 0.9 : 0.4));
    expect(top).toEqual([{ label: '203.0.113.9', type: 'sourceIP', drop: 0.5 }]);
    const reasons = explainSession(26, { profile, events: eventsOf(26), ruleHits: [], occlusion: top });
    const occ = reasons.find((r) => r.kind === 'occlusion')!;
    expect(occ.auditIDs).toHaveLength(12);
    expect(occ.auditIDs.every((id) => id.startsWith('b-'))).toBe(true);
    // An object node (a request path, names generalised to ~) cites the requests under it.
    const obj = explainSession(26, { profile, events: eventsOf(26), ruleHits: [], occlusion: [{ label: '/api/v1/namespaces/hardening/~', type: 'object', drop: 0.1 }] });
    expect(obj.find((r) => r.kind === 'occlusion')!.auditIDs).toHaveLength(12);
  });

  it('names each new entity and occluded node as the session graph labels it, so the UI needs no wording', () => {
    // A new agent with a verb word in it and a grouped resource with a subresource: the graph
    // scrubs the one and keys the other by API group, so the reason's node must do the same.
    const odd = { ...ev('c-2', T0 + 29 * MIN + 58e6, 'patch', 'carol', '198.51.100.7', 'default', 'deployments'), userAgent: 'kubectl-create/v1', apiGroup: 'apps', subresource: 'scale' };
    const all = [...events, odd];
    const s = sessions.map((x) => (x.id === 30 ? { ...x, auditIDs: [...x.auditIDs, 'c-2'] } : x));
    const p = buildProfile(s, () => all);
    const sessionEvents = [...eventsOf(30), odd];
    const g = buildGraph(ACTOR, MIN, T0 + 29 * MIN, 'x', sessionEvents);
    const graphNodes = g.nodeLabels.map((label, i) => ({ type: NODE_TYPES[g.nodeTypes[i]], label }));
    const occlusion = [{ type: graphNodes[0].type, label: graphNodes[0].label, drop: 0.25 }];
    const reasons = explainSession(30, { profile: p, events: sessionEvents, ruleHits: [], occlusion });
    const novel = reasons.filter((r) => r.kind.startsWith('new-'));
    expect(novel.map((r) => [r.kind, r.nodes])).toEqual([
      ['new-sourceIP', [{ type: 'ip', label: '198.51.100.7' }]],
      ['new-user', [{ type: 'user', label: 'carol' }]],
      ['new-userAgent', [{ type: 'agent', label: 'kubectl-~/v1' }]],
      ['new-resource', [{ type: 'resource', label: 'apps/deployments' }]],
    ]);
    const keys = new Set(graphNodes.map((n) => `${n.type} ${n.label}`));
    for (const r of novel) expect(keys.has(`${r.nodes![0].type} ${r.nodes![0].label}`)).toBe(true);
    expect(reasons.find((r) => r.kind === 'occlusion')!.nodes).toEqual([{ type: graphNodes[0].type, label: graphNodes[0].label, weight: 0.25 }]);
    // Read back onto the graph, the structured nodes mark exactly those four as new.
    const marks = markNodes(reasons, graphNodes);
    expect(graphNodes.filter((_, i) => marks[i].isNew).map((n) => `${n.type} ${n.label}`).sort()).toEqual(['agent kubectl-~/v1', 'ip 198.51.100.7', 'resource apps/deployments', 'user carol']);
    expect(marks[0].occlusion).toBe(0.25);
  });
});
