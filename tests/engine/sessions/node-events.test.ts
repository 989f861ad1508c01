// The per-node event index the graph builder keeps must say what auditIDsByNode says from the
// events themselves (the same labelling function), or the session view would list the wrong
// events behind a node.
import { describe, expect, it } from 'vitest';
import { auditIDsByNode } from '../../../src/engine/api/node-events.ts';
import { buildGraph, eventsOfNode, type NodeEventIndex } from '../../../src/engine/sessions/graph.ts';
import { ACTOR, NODE_TYPES, SEED } from '../../../src/engine/sessions/presets.ts';
import { event, synthEvents } from './synth.ts';

describe('buildGraph node-event index', () => {
  for (const preset of [SEED, ACTOR]) {
    it(`lists, for every ${preset.name} node, exactly the events that label it, in time order`, () => {
      const evs = synthEvents(400, 4, 7);
      const g = buildGraph(preset, 3600e6, 0, 'p', evs);
      const index = g.nodeEvents as NodeEventIndex;
      expect(index.offsets.length).toBe(g.nodeLabels.length + 1);
      const fromEvents = auditIDsByNode(evs.slice().sort((a, b) => a.timeUs - b.timeUs || (a.auditID < b.auditID ? -1 : 1)));
      for (let i = 0; i < g.nodeLabels.length; i++) {
        const { count, auditIDs } = eventsOfNode({ auditIDs: g.auditIDs, nodeEvents: index }, i);
        expect(auditIDs).toEqual(fromEvents(NODE_TYPES[g.nodeTypes[i]], g.nodeLabels[i]));
        expect(count).toBe(auditIDs.length);
        expect(count).toBeGreaterThan(0);
      }
    });
  }

  it('lists an event once under a node it names twice, and cuts a list at max with the count whole', () => {
    const evs = [
      event({ auditID: 'a', timeUs: 1, groups: ['g1', 'g1'], sourceIPs: ['1.1.1.1'] }),
      event({ auditID: 'b', timeUs: 2, groups: ['g1'], sourceIPs: ['1.1.1.1'] }),
      event({ auditID: 'c', timeUs: 3, groups: ['g2'], sourceIPs: ['1.1.1.1'] }),
    ];
    const g = buildGraph(SEED, 60e6, 0, '*', evs);
    const indexed = { auditIDs: g.auditIDs, nodeEvents: g.nodeEvents as NodeEventIndex };
    const node = (type: string, label: string): number => g.nodeLabels.findIndex((l, i) => l === label && NODE_TYPES[g.nodeTypes[i]] === type);
    expect(eventsOfNode(indexed, node('group', 'g1'))).toEqual({ count: 2, auditIDs: ['a', 'b'] });
    expect(eventsOfNode(indexed, node('ip', '1.1.1.1'), 2)).toEqual({ count: 3, auditIDs: ['a', 'b'] });
  });
});
