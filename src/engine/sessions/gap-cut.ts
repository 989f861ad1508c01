import type { AuditEvent } from '../../shared/domain.ts';
import { buildGraph, type StoredSessionGraph } from './graph.ts';
import type { Preset } from './presets.ts';

/**
 * Cuts time-ordered events into per-partition sessions that end where the partition goes quiet
 * for `gapUs`, or once a session has spanned `maxSpanUs`. Graphs are yielded as sessions close
 * (not in start order); a partition idle for a gap is closed as soon as the stream's clock passes
 * it, so memory holds only the sessions still open. Throws when the input goes back in time.
 */
export function* gapSessionGraphs(events: Iterable<AuditEvent>, preset: Preset, gapUs: number, maxSpanUs: number): Generator<StoredSessionGraph> {
  if (!(gapUs > 0) || !(maxSpanUs > 0)) throw new RangeError('gap and span must be positive');
  const open = new Map<string, { first: number; last: number; events: AuditEvent[] }>();
  let clock = -Infinity;
  let nextSweep = -Infinity;
  const close = (p: string): StoredSessionGraph => {
    const s = open.get(p)!;
    open.delete(p);
    // windowUs records the gap the session was cut with: it is part of the session's key.
    return buildGraph(preset, gapUs, s.first, p, s.events);
  };
  for (const e of events) {
    if (e.timeUs < clock) throw new Error(`events are not time-ordered: ${e.auditID} comes before an event already read`);
    clock = e.timeUs;
    if (clock >= nextSweep) {
      // Sweeping every gap/4 of stream time bounds how long an idle session lingers in memory.
      for (const [p, s] of [...open]) if (clock - s.last > gapUs) yield close(p);
      nextSweep = clock + gapUs / 4;
    }
    const p = preset.partition(e);
    let s = open.get(p);
    if (s && (e.timeUs - s.last > gapUs || e.timeUs - s.first >= maxSpanUs)) {
      yield close(p);
      s = undefined;
    }
    if (!s) open.set(p, (s = { first: e.timeUs, last: e.timeUs, events: [] }));
    s.last = e.timeUs;
    s.events.push(e);
  }
  for (const p of [...open.keys()].sort()) yield close(p);
}
