import type { Db } from './db.ts';
import type { NodeEventIndex, StoredSessionGraph } from '../sessions/graph.ts';
import { NODE_TYPES } from '../sessions/presets.ts';

/** Blobs are the typed arrays' bytes as they lie in memory (little-endian on every target we run on). */
const blob = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
// Copy out of the Buffer so the typed array is aligned and owns its memory.
const i32 = (b: Buffer): Int32Array => new Int32Array(new Uint8Array(b).buffer);
const f32 = (b: Buffer): Float32Array => new Float32Array(new Uint8Array(b).buffer);

export interface SessionSummary {
  id: number;
  preset: string;
  windowUs: number;
  startUs: number;
  endUs: number;
  partition: string;
  nodes: number;
  edges: number;
  events: number;
  verbs: string[];
  labelMask: number;
}

export interface SessionFilter {
  preset?: string;
  windowUs?: number;
  fromUs?: number;
  toUs?: number;
  partition?: string;
  limit?: number;
}

/** What the UI and the hunt draw: node and edge lists with readable labels. */
export interface LabelledSessionGraph {
  nodes: { id: number; type: string; label: string }[];
  edges: { src: number; dst: number; weight: number }[];
  auditIDs: string[];
}

/** Inserts the sessions, or updates in place (same id) those whose key already exists. */
export function saveSessions(db: Db, graphs: Iterable<StoredSessionGraph>): number {
  const stmt = db.prepare(`
    insert into sessions (preset, window_us, start_us, end_us, partition, n_nodes, n_edges, n_events, verbs, label_mask,
                          node_types, node_labels, edge_src, edge_dst, edge_w, audit_ids, node_events)
    values (@preset, @windowUs, @startUs, @endUs, @partition, @nNodes, @nEdges, @nEvents, @verbs, @labelMask,
            @nodeTypes, @nodeLabels, @src, @dst, @w, @auditIDs, @nodeEvents)
    on conflict (preset, window_us, partition, start_us) do update set
      end_us = excluded.end_us, n_nodes = excluded.n_nodes, n_edges = excluded.n_edges, n_events = excluded.n_events,
      verbs = excluded.verbs, label_mask = excluded.label_mask, node_types = excluded.node_types,
      node_labels = excluded.node_labels, edge_src = excluded.edge_src, edge_dst = excluded.edge_dst,
      edge_w = excluded.edge_w, audit_ids = excluded.audit_ids, node_events = excluded.node_events`);
  let n = 0;
  db.transaction(() => {
    for (const g of graphs) {
      stmt.run({
        preset: g.preset,
        windowUs: g.windowUs,
        startUs: g.startUs,
        endUs: g.endUs,
        partition: g.partition,
        nNodes: g.nodeLabels.length,
        nEdges: g.src.length,
        nEvents: g.auditIDs.length,
        verbs: JSON.stringify(g.verbs),
        labelMask: g.labelMask,
        nodeTypes: blob(g.nodeTypes),
        nodeLabels: JSON.stringify(g.nodeLabels),
        src: blob(g.src),
        dst: blob(g.dst),
        w: blob(g.weight),
        auditIDs: JSON.stringify(g.auditIDs),
        nodeEvents: g.nodeEvents ? packNodeEvents(g.nodeEvents) : null,
      });
      n++;
    }
  })();
  return n;
}

// One blob: the offsets (nodes + 1 of them), then the index, as little-endian u32.
function packNodeEvents(n: NodeEventIndex): Buffer {
  const all = new Uint32Array(n.offsets.length + n.index.length);
  all.set(n.offsets);
  all.set(n.index, n.offsets.length);
  return blob(all);
}

function unpackNodeEvents(b: Buffer, nodes: number): NodeEventIndex {
  const all = new Uint32Array(new Uint8Array(b).buffer);
  return { offsets: all.subarray(0, nodes + 1), index: all.subarray(nodes + 1) };
}

// Sessions stored before migration 012 have no end: their slice's end stands in.
const endOf = (r: { start_us: number; window_us: number; end_us: number | null }): number => r.end_us ?? r.start_us + r.window_us - 1;

/** Drops every session of one cut (a gap cut is rebuilt whole). */
export function deleteSessions(db: Db, preset: string, windowUs: number): number {
  return db.prepare('delete from sessions where preset = ? and window_us = ?').run(preset, windowUs).changes;
}

function where(filter: SessionFilter): { sql: string; args: Record<string, unknown> } {
  const parts: string[] = [];
  const args: Record<string, unknown> = {};
  const add = (cond: string, key: string, value: unknown): void => {
    if (value === undefined) return;
    parts.push(cond);
    args[key] = value;
  };
  add('preset = @preset', 'preset', filter.preset);
  add('window_us = @windowUs', 'windowUs', filter.windowUs);
  add('start_us >= @fromUs', 'fromUs', filter.fromUs);
  add('start_us < @toUs', 'toUs', filter.toUs);
  add('partition = @partition', 'partition', filter.partition);
  return { sql: parts.length ? `where ${parts.join(' and ')}` : '', args };
}

interface SummaryRow {
  id: number;
  preset: string;
  window_us: number;
  start_us: number;
  end_us: number | null;
  partition: string;
  n_nodes: number;
  n_edges: number;
  n_events: number;
  verbs: string;
  label_mask: number;
}

/** Sessions in time order (then partition), without their graphs. */
export function listSessions(db: Db, filter: SessionFilter = {}): SessionSummary[] {
  const w = where(filter);
  const limit = filter.limit !== undefined ? `limit ${Math.max(0, Math.floor(filter.limit))}` : '';
  const rows = db
    .prepare(`select id, preset, window_us, start_us, end_us, partition, n_nodes, n_edges, n_events, verbs, label_mask from sessions ${w.sql} order by start_us, partition, preset ${limit}`)
    .all(w.args) as SummaryRow[];
  return rows.map((r) => ({
    id: r.id,
    preset: r.preset,
    windowUs: r.window_us,
    startUs: r.start_us,
    endUs: endOf(r),
    partition: r.partition,
    nodes: r.n_nodes,
    edges: r.n_edges,
    events: r.n_events,
    verbs: JSON.parse(r.verbs) as string[],
    labelMask: r.label_mask,
  }));
}

interface GraphRow extends SummaryRow {
  node_types: Buffer;
  node_labels: string;
  edge_src: Buffer;
  edge_dst: Buffer;
  edge_w: Buffer;
  audit_ids: string;
}

function toGraph(r: GraphRow): StoredSessionGraph & { id: number } {
  return {
    id: r.id,
    preset: r.preset,
    windowUs: r.window_us,
    startUs: r.start_us,
    endUs: endOf(r),
    partition: r.partition,
    nodeTypes: new Uint8Array(r.node_types),
    nodeLabels: JSON.parse(r.node_labels) as string[],
    src: i32(r.edge_src),
    dst: i32(r.edge_dst),
    weight: f32(r.edge_w),
    auditIDs: JSON.parse(r.audit_ids) as string[],
    labelMask: r.label_mask,
    verbs: JSON.parse(r.verbs) as string[],
  };
}

// Every column but node_events: training and the hunt read every graph and never need it.
const GRAPH_COLUMNS =
  'id, preset, window_us, start_us, end_us, partition, n_nodes, n_edges, n_events, verbs, label_mask, node_types, node_labels, edge_src, edge_dst, edge_w, audit_ids';

/** Full graphs in time order, streamed (training reads every session of a preset this way). */
export function* iterateSessionGraphs(db: Db, filter: SessionFilter = {}): Generator<StoredSessionGraph & { id: number }> {
  const w = where(filter);
  const stmt = db.prepare(`select ${GRAPH_COLUMNS} from sessions ${w.sql} order by start_us, partition, preset`);
  for (const r of stmt.iterate(w.args) as Iterable<GraphRow>) yield toGraph(r);
}

/**
 * One stored graph, typed arrays included; null when there is no such session. With
 * `nodeEvents`, its per-node event index too (absent on sessions built before migration 034).
 */
export function loadSessionGraph(db: Db, sessionId: number, opts: { nodeEvents?: boolean } = {}): (StoredSessionGraph & { id: number }) | null {
  const cols = opts.nodeEvents ? `${GRAPH_COLUMNS}, node_events` : GRAPH_COLUMNS;
  const r = db.prepare(`select ${cols} from sessions where id = ?`).get(sessionId) as (GraphRow & { node_events?: Buffer | null }) | undefined;
  if (!r) return null;
  const g = toGraph(r);
  if (r.node_events) g.nodeEvents = unpackNodeEvents(r.node_events, g.nodeLabels.length);
  return g;
}

/** One session's graph as node/edge lists for drawing and explanations; null when absent. */
export function getSessionGraph(db: Db, sessionId: number): LabelledSessionGraph | null {
  const g = loadSessionGraph(db, sessionId);
  if (!g) return null;
  return {
    nodes: g.nodeLabels.map((label, id) => ({ id, type: NODE_TYPES[g.nodeTypes[id]], label })),
    edges: Array.from(g.src, (src, i) => ({ src, dst: g.dst[i], weight: g.weight[i] })),
    auditIDs: g.auditIDs,
  };
}

/** Drops sessions of a preset/window that a rebuild of [fromUs, toUs) no longer produced. */
export function deleteSessionsExcept(db: Db, preset: string, windowUs: number, startUs: number, keepPartitions: readonly string[]): number {
  const keep = JSON.stringify(keepPartitions);
  return db
    .prepare('delete from sessions where preset = ? and window_us = ? and start_us = ? and partition not in (select value from json_each(?))')
    .run(preset, windowUs, startUs, keep).changes;
}
