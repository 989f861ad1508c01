import type { AuditEvent } from '../../shared/domain.ts';
import { buildGraph, type StoredSessionGraph } from './graph.ts';
import type { Preset } from './presets.ts';

export const DEFAULT_WINDOW_S = 60;

/** Start (µs) of the fixed, non-overlapping time slice holding `timeUs`. */
export function windowStart(timeUs: number, windowUs: number): number {
  return Math.floor(timeUs / windowUs) * windowUs;
}

/**
 * Cuts time-ordered events into sessions and yields each graph as soon as its time slice ends, so
 * a whole case streams through in the memory of one slice. Throws when the input goes back in time
 * past a finished slice (it would silently split a session in two otherwise).
 */
export function* sessionGraphs(events: Iterable<AuditEvent>, preset: Preset, windowUs: number): Generator<StoredSessionGraph> {
  let open = new Map<string, AuditEvent[]>();
  let current = -Infinity;
  const flush = function* (): Generator<StoredSessionGraph> {
    const parts = [...open.keys()].sort();
    for (const p of parts) yield buildGraph(preset, windowUs, current, p, open.get(p)!);
    open = new Map();
  };
  for (const e of events) {
    const w = windowStart(e.timeUs, windowUs);
    if (w < current) throw new Error(`events are not time-ordered: ${e.auditID} falls in a time slice already finished`);
    if (w > current) {
      yield* flush();
      current = w;
    }
    const p = preset.partition(e);
    let list = open.get(p);
    if (!list) open.set(p, (list = []));
    list.push(e);
  }
  yield* flush();
}

/** Sessions of events in any order (sorted here first; holds them all in memory). */
export function buildSessions(events: Iterable<AuditEvent>, preset: Preset, windowUs: number): StoredSessionGraph[] {
  const sorted = [...events].sort((a, b) => a.timeUs - b.timeUs);
  return [...sessionGraphs(sorted, preset, windowUs)];
}
