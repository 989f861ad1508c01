import { describe, expect, it } from 'vitest';
import { openMemory } from '../../../src/engine/store/db.ts';
import { getSessionGraph, iterateSessionGraphs, listSessions, loadSessionGraph } from '../../../src/engine/store/sessions.ts';
import { buildAllSessions, cutSessions, updateSessions } from '../../../src/engine/sessions/build.ts';
import { ACTOR, SEED } from '../../../src/engine/sessions/presets.ts';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { event, synthEvents } from './synth.ts';

const inRange = (evs: AuditEvent[]) => (from: number, to: number) => evs.filter((e) => e.timeUs >= from && e.timeUs < to);

describe('session store', () => {
  it('round-trips graphs through blobs and lists them in time order', () => {
    const db = openMemory();
    const evs = synthEvents(400, 4, 5);
    const res = buildAllSessions(db, evs, { preset: ACTOR, windowUs: 60e6, chunk: 3 });
    expect(res.events).toBe(400);
    const built = [...cutSessions(evs, ACTOR, 60e6)];
    const list = listSessions(db, { preset: 'actor' });
    expect(list).toHaveLength(built.length);
    expect(res.sessions).toBe(built.length);
    for (let i = 1; i < list.length; i++) expect(list[i].startUs).toBeGreaterThanOrEqual(list[i - 1].startUs);
    const stored = [...iterateSessionGraphs(db, { preset: 'actor' })];
    for (const g of built) {
      const s = stored.find((x) => x.startUs === g.startUs && x.partition === g.partition)!;
      expect(s.nodeLabels).toEqual(g.nodeLabels);
      expect(s.src).toEqual(g.src);
      expect(s.dst).toEqual(g.dst);
      expect(s.weight).toEqual(g.weight);
      expect(s.nodeTypes).toEqual(g.nodeTypes);
      expect(s.auditIDs).toEqual(g.auditIDs);
    }
    const view = getSessionGraph(db, list[0].id)!;
    expect(view.nodes).toHaveLength(list[0].nodes);
    expect(view.edges).toHaveLength(list[0].edges);
    expect(view.nodes.map((n) => n.type)).toContain('user');
    expect(getSessionGraph(db, 99999)).toBeNull();
  });

  it('rebuilds only the affected windows, in place, and ends where a full build ends', () => {
    const all = synthEvents(600, 8, 6);
    const cut = 450;
    const late = event({ auditID: 'late', timeUs: all[10].timeUs + 1, user: 'mallory', sourceIPs: ['6.6.6.6'] });
    const db = openMemory();
    buildAllSessions(db, all.slice(0, cut), { preset: SEED, windowUs: 60e6 });
    const before = listSessions(db);
    const added = [...all.slice(cut), late];
    const after = [...all.slice(0, cut), ...added];
    const res = updateSessions(db, added, inRange(after), { preset: SEED, windowUs: 60e6 });
    const touched = new Set(added.map((e) => Math.floor(e.timeUs / 60e6)));
    expect(res.sessions).toBe(touched.size);
    const list = listSessions(db);
    // ids of untouched and touched sessions alike are kept
    for (const b of before) expect(list.find((s) => s.startUs === b.startUs)!.id).toBe(b.id);
    const full = openMemory();
    buildAllSessions(full, [...after].sort((a, b) => a.timeUs - b.timeUs), { preset: SEED, windowUs: 60e6 });
    const a = list.map((s) => loadSessionGraph(db, s.id)!);
    const b = listSessions(full).map((s) => loadSessionGraph(full, s.id)!);
    expect(a.map((g) => [g.startUs, g.nodeLabels, Array.from(g.weight), g.auditIDs])).toEqual(b.map((g) => [g.startUs, g.nodeLabels, Array.from(g.weight), g.auditIDs]));
    expect(a.some((g) => g.auditIDs.includes('late'))).toBe(true);
  });
});
