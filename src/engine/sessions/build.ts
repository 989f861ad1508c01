import type { AuditEvent } from '../../shared/domain.ts';
import type { Db } from '../store/db.ts';
import { deleteSessions, saveSessions } from '../store/sessions.ts';
import { ProgressMeter, type ProgressFn } from '../util/progress.ts';
import { buildGraph, type StoredSessionGraph } from './graph.ts';
import type { Preset } from './presets.ts';
import { gapSessionGraphs } from './gap-cut.ts';
import { sessionGraphs, windowStart } from './tumbling.ts';

/** The preset's sessions of time-ordered events: clock slices or actor activity cut by gaps. */
export function cutSessions(events: Iterable<AuditEvent>, preset: Preset, windowUs: number): Iterable<StoredSessionGraph> {
  return preset.cut.kind === 'gap' ? gapSessionGraphs(events, preset, windowUs, preset.cut.maxSpanUs) : sessionGraphs(events, preset, windowUs);
}

export interface BuildOptions {
  preset: Preset;
  windowUs: number;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** Sessions per write transaction. */
  chunk?: number;
}

export interface BuildResult {
  sessions: number;
  events: number;
}

/**
 * Builds and stores every session of `events` (time-ordered, e.g. the store's iterateEvents).
 * Existing sessions with the same key are updated in place, so re-running is idempotent.
 */
export function buildAllSessions(db: Db, events: Iterable<AuditEvent>, opts: BuildOptions): BuildResult {
  const meter = new ProgressMeter('sessions', 'events', opts.onProgress);
  let nEvents = 0;
  let nSessions = 0;
  const counted = function* (): Generator<AuditEvent> {
    for (const e of events) {
      nEvents++;
      yield e;
    }
  };
  let pending: StoredSessionGraph[] = [];
  const chunk = opts.chunk ?? 256;
  // A gap cut moves session starts when events arrive in between: the old sessions of this cut
  // are not updated in place but replaced whole (embeddings are recomputed after every build).
  if (opts.preset.cut.kind === 'gap') deleteSessions(db, opts.preset.name, opts.windowUs);
  for (const g of cutSessions(counted(), opts.preset, opts.windowUs)) {
    pending.push(g);
    if (pending.length >= chunk) {
      opts.signal?.throwIfAborted();
      nSessions += saveSessions(db, pending);
      pending = [];
      meter.update(nEvents, null, `${nSessions} sessions`);
    }
  }
  nSessions += saveSessions(db, pending);
  meter.update(nEvents, nEvents, `${nSessions} sessions`, true);
  return { sessions: nSessions, events: nEvents };
}

/**
 * Incremental build: given the events just added, rebuilds only the (window, partition) sessions
 * they fall in. `loadWindow(fromUs, toUs)` must return every stored event in that time range
 * (new ones included), since a session is a function of all its events.
 */
export function updateSessions(
  db: Db,
  newEvents: Iterable<AuditEvent>,
  loadWindow: (fromUs: number, toUs: number) => Iterable<AuditEvent>,
  opts: BuildOptions,
): BuildResult {
  const { preset, windowUs } = opts;
  if (preset.cut.kind !== 'tumbling') throw new Error(`incremental session updates need a tumbling cut; '${preset.name}' is rebuilt whole`);
  const affected = new Map<number, Set<string>>();
  for (const e of newEvents) {
    const w = windowStart(e.timeUs, windowUs);
    let parts = affected.get(w);
    if (!parts) affected.set(w, (parts = new Set()));
    parts.add(preset.partition(e));
  }
  let nSessions = 0;
  let nEvents = 0;
  for (const w of [...affected.keys()].sort((a, b) => a - b)) {
    opts.signal?.throwIfAborted();
    const parts = affected.get(w)!;
    const byPart = new Map<string, AuditEvent[]>();
    for (const e of loadWindow(w, w + windowUs)) {
      const p = preset.partition(e);
      if (!parts.has(p) || windowStart(e.timeUs, windowUs) !== w) continue;
      let list = byPart.get(p);
      if (!list) byPart.set(p, (list = []));
      list.push(e);
      nEvents++;
    }
    const graphs = [...byPart.keys()].sort().map((p) => buildGraph(preset, windowUs, w, p, byPart.get(p)!));
    nSessions += saveSessions(db, graphs);
  }
  return { sessions: nSessions, events: nEvents };
}
