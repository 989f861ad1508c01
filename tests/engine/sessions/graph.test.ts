import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/engine/sessions/graph.ts';
import { nodeFeatures } from '../../../src/engine/sessions/features.ts';
import { ACTOR, NODE_TYPES, SEED } from '../../../src/engine/sessions/presets.ts';
import { VERBS, hasVerbWord, requestObject, scrubVerbs } from '../../../src/engine/sessions/verbs.ts';
import { event, rng, synthEvents } from './synth.ts';

describe('buildGraph (seed preset)', () => {
  it('draws the documented nodes and hub edges, weighted by count', () => {
    const evs = [
      event({ auditID: 'a', timeUs: 1, verb: 'list', groups: ['g1'], sourceIPs: ['1.1.1.1'] }),
      event({ auditID: 'b', timeUs: 2, verb: 'list', groups: ['g1'], sourceIPs: ['1.1.1.1'] }),
      event({ auditID: 'c', timeUs: 3, verb: 'get', groups: ['g1'], sourceIPs: ['2.2.2.2'], requestURI: '/api/v1/namespaces/default/pods/p1' }),
    ];
    const g = buildGraph(SEED, 60e6, 0, '*', evs);
    const nodes = g.nodeLabels.map((l, i) => `${NODE_TYPES[g.nodeTypes[i]]}:${l}`);
    expect(nodes.sort()).toEqual(
      ['ip:1.1.1.1', 'ip:2.2.2.2', 'group:g1', 'object:/api/v1/namespaces/default/pods', 'object:/api/v1/namespaces/default/pods/p1', 'resource:pods', 'decision:allow'].sort(),
    );
    const byName = (s: string): number => g.nodeLabels.indexOf(s);
    const w = (a: string, b: string): number => {
      const [x, y] = [byName(a), byName(b)].sort((p, q) => p - q);
      for (let i = 0; i < g.src.length; i++) if (g.src[i] === x && g.dst[i] === y) return g.weight[i];
      return 0;
    };
    expect(w('/api/v1/namespaces/default/pods', '1.1.1.1')).toBe(2);
    expect(w('/api/v1/namespaces/default/pods', 'g1')).toBe(2);
    expect(w('1.1.1.1', 'g1')).toBe(2);
    expect(w('2.2.2.2', 'g1')).toBe(1);
    expect(w('/api/v1/namespaces/default/pods/p1', 'pods')).toBe(1);
    expect(w('1.1.1.1', 'pods')).toBe(0);
    for (let i = 0; i < g.src.length; i++) expect(g.src[i]).toBeLessThan(g.dst[i]);
    expect(g.verbs).toEqual(['get', 'list']);
    expect(g.labelMask).toBe((1 << VERBS.indexOf('get')) | (1 << VERBS.indexOf('list')));
    expect(g.auditIDs).toEqual(['a', 'b', 'c']);
  });

  it('is deterministic whatever order the events come in', () => {
    const evs = synthEvents(200, 3, 1);
    const r = rng(9);
    const shuffled = [...evs].sort(() => r() - 0.5);
    const a = buildGraph(ACTOR, 60e6, 0, 'p', evs);
    const b = buildGraph(ACTOR, 60e6, 0, 'p', shuffled);
    expect(b.nodeLabels).toEqual(a.nodeLabels);
    expect(Buffer.from(b.src.buffer)).toEqual(Buffer.from(a.src.buffer));
    expect(Buffer.from(b.weight.buffer)).toEqual(Buffer.from(a.weight.buffer));
  });
});

describe('verb leakage', () => {
  it('scrubs verbs from URIs, user agents, subresources and request kinds', () => {
    expect(requestObject('/api/v1/namespaces/default/pods?watch=true&resourceVersion=5')).toBe('/api/v1/namespaces/default/pods');
    expect(requestObject('/api/v1/watch/namespaces/default/pods')).toBe('/api/v1/namespaces/default/pods');
    expect(requestObject('/apis/apps/v1/namespaces/x/deployments/d?fieldManager=kubectl-edit')).toBe('/apis/apps/v1/namespaces/x/deployments/d');
    expect(scrubVerbs('kubectl-delete/v1.29')).toBe('kubectl-~/v1.29');
    expect(scrubVerbs('DeleteOptions')).toBe('~Options');
    expect(scrubVerbs('target budget-controller')).toBe('target budget-controller');
    expect(scrubVerbs('deleters updates-controller')).toBe('~ ~-controller');
    expect(hasVerbWord('pods/patch')).toBe(true);
  });

  it('gives graphs that differ only in verb identical nodes and features', () => {
    const r = rng(5);
    for (const preset of [SEED, ACTOR]) {
      const base = synthEvents(150, 11, 1);
      const sub = base.map(() => r() < 0.3);
      // Plant the verb everywhere a careless builder would pick it up.
      const withVerb = (verb: string) =>
        base.map((e, i) => ({
          ...e,
          verb,
          requestURI: `${e.requestURI.split('?')[0]}/${verb}?watch=true&${verb}=1`,
          userAgent: `kubectl-${verb}/v1.29 ${verb.toUpperCase()}Client`,
          subresource: sub[i] ? verb : e.subresource,
          groups: [...e.groups, `${verb}ers`],
        }));
      const gs = VERBS.map((v) => buildGraph(preset, 60e6, 0, 'p', withVerb(v)));
      for (const g of gs) {
        for (const l of g.nodeLabels) expect(hasVerbWord(l), `${preset.name}: ${l}`).toBe(false);
        expect(g.nodeLabels).toEqual(gs[0].nodeLabels);
        expect(nodeFeatures(g.nodeTypes, g.nodeLabels, preset.hashing)).toEqual(nodeFeatures(gs[0].nodeTypes, gs[0].nodeLabels, preset.hashing));
      }
      expect(new Set(gs.map((g) => g.labelMask)).size).toBe(VERBS.length);
    }
  });
});
