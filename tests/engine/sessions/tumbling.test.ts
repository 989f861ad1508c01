import { describe, expect, it } from 'vitest';
import { buildSessions, sessionGraphs, windowStart } from '../../../src/engine/sessions/tumbling.ts';
import { ACTOR, ACTOR_IP, SEED } from '../../../src/engine/sessions/presets.ts';
import { event, synthEvents } from './synth.ts';

describe('tumbling windows and partitions', () => {
  it('cuts at window boundaries and by partition', () => {
    const evs = [
      event({ auditID: 'a', timeUs: 59_999_999, user: 'u1' }),
      event({ auditID: 'b', timeUs: 60_000_000, user: 'u1' }),
      event({ auditID: 'c', timeUs: 60_000_001, user: 'u2' }),
      event({ auditID: 'd', timeUs: 61_000_000, user: 'u2', sourceIPs: ['9.9.9.9'] }),
    ];
    const seed = buildSessions(evs, SEED, 60e6);
    expect(seed.map((g) => [g.startUs, g.auditIDs])).toEqual([
      [0, ['a']],
      [60e6, ['b', 'c', 'd']],
    ]);
    const actor = buildSessions(evs, ACTOR, 60e6);
    expect(actor.map((g) => [g.startUs, g.partition, g.auditIDs.length])).toEqual([
      [0, '*|u1', 1],
      [60e6, '*|u1', 1],
      [60e6, '*|u2', 2],
    ]);
    expect(buildSessions(evs, ACTOR_IP, 60e6)).toHaveLength(4);
    expect(windowStart(-1, 60e6)).toBe(-60e6);
  });

  it('streams ordered input and refuses to go back past a closed window', () => {
    const evs = synthEvents(500, 2, 10);
    const all = [...sessionGraphs(evs, SEED, 60e6)];
    expect(all.reduce((s, g) => s + g.auditIDs.length, 0)).toBe(500);
    expect(all.length).toBe(10);
    const bad = [event({ auditID: 'x', timeUs: 120e6 }), event({ auditID: 'y', timeUs: 1 })];
    expect(() => [...sessionGraphs(bad, SEED, 60e6)]).toThrow(/time-ordered/);
  });
});
