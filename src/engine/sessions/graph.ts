import type { AuditEvent } from '../../shared/domain.ts';
import { NODE_TYPES, type NodeType, type Preset } from './presets.ts';
import { actingUser, imagesOf, registryOf, rolesOf, subjectsOf } from './spec.ts';
import { requestObject, scrubVerbs, verbMask } from './verbs.ts';

/**
 * One session as a graph, in the compact typed-array form the sessions stage builds and the store
 * keeps (node types as codes, edges as parallel arrays). Edges are undirected, stored once with src < dst, weighted by how many
 * events tied the two entities together.
 */
export interface StoredSessionGraph {
  preset: string;
  windowUs: number;
  startUs: number;
  /** Time of the session's last event (µs); a tumbling slice's may be earlier than its slice's end. */
  endUs: number;
  partition: string;
  /** NODE_TYPES index per node. */
  nodeTypes: Uint8Array;
  nodeLabels: string[];
  src: Int32Array;
  dst: Int32Array;
  weight: Float32Array;
  auditIDs: string[];
  /** Bit i set when VERBS[i] occurs in the session (the multi-label target). */
  labelMask: number;
  /** Every verb seen, including those outside the label vocabulary, sorted. */
  verbs: string[];
  /**
   * Which events each node was drawn from. The builder has them at hand; kept with the graph so
   * that showing a node's events needs no re-read and re-parse of the session's events (that cost
   * 100-200 ms of a session click on an 1,800-event session). Absent where a reader did not ask
   * for it (training) and on sessions stored before migration 034.
   */
  nodeEvents?: NodeEventIndex;
}

/**
 * Compressed rows: node i's events are `auditIDs[index[offsets[i]]]` … `auditIDs[index[offsets[i + 1] - 1]]`,
 * in the graph's event order (time, then auditID); an event is listed once per node.
 */
export interface NodeEventIndex {
  offsets: Uint32Array;
  index: Uint32Array;
}

/** The auditIDs behind node `node`, at most `max` of them (the first in time), and how many there are. */
export function eventsOfNode(g: Pick<StoredSessionGraph, 'auditIDs'> & { nodeEvents: NodeEventIndex }, node: number, max = Infinity): { count: number; auditIDs: string[] } {
  const { offsets, index } = g.nodeEvents;
  const from = offsets[node];
  const count = offsets[node + 1] - from;
  const n = Math.min(count, max);
  const auditIDs = new Array<string>(n);
  for (let k = 0; k < n; k++) auditIDs[k] = g.auditIDs[index[from + k]];
  return { count, auditIDs };
}

const typeCode = new Map<NodeType, number>(NODE_TYPES.map((t, i) => [t, i]));

/**
 * The verb-free strings an event contributes for one node type: the graph's node labels, which
 * the hunt's reasons name so the UI can find their nodes without parsing wording.
 */
export function nodeLabelsOf(e: AuditEvent, type: NodeType): string[] {
  switch (type) {
    case 'ip':
      return e.sourceIPs;
    case 'group':
      return e.groups.map(scrubVerbs);
    case 'object':
      return [requestObject(e.requestURI)];
    case 'resource':
      return e.resource ? [scrubVerbs(e.apiGroup ? `${e.apiGroup}/${e.resource}` : e.resource)] : [];
    case 'decision':
      return [e.decision ?? 'unknown'];
    case 'user':
      return [scrubVerbs(actingUser(e))];
    case 'impersonator':
      return e.impersonatedUser ? [scrubVerbs(e.user)] : [];
    case 'image':
      return imagesOf(e).map(scrubVerbs);
    case 'registry':
      return [...new Set(imagesOf(e).map(registryOf))].map(scrubVerbs);
    case 'subject':
      return subjectsOf(e).map(scrubVerbs);
    case 'role':
      return rolesOf(e).map(scrubVerbs);
    case 'agent':
      return e.userAgent ? [scrubVerbs(e.userAgent)] : [];
    case 'namespace':
      return e.namespace ? [scrubVerbs(e.namespace)] : [];
    case 'subresource':
      return e.subresource ? [scrubVerbs(e.subresource)] : [];
    case 'code':
      return e.responseCode === null ? [] : [String(e.responseCode)];
  }
}

/**
 * Builds the graph of one session from its events (any order: they are sorted by time, then
 * auditID, so the node numbering and hence the stored blobs are deterministic).
 *
 * Edge scheme: every event has a request-object node (its URI path); that node is the hub tying
 * the event's other entities together (hub ↔ ip, hub ↔ group, hub ↔ resource, …), plus the
 * preset's `pairs` between non-hub entities (who came from where: ip ↔ group, user ↔ agent…).
 */
export function buildGraph(preset: Preset, windowUs: number, startUs: number, partition: string, events: AuditEvent[]): StoredSessionGraph {
  const sorted = [...events].sort((a, b) => a.timeUs - b.timeUs || (a.auditID < b.auditID ? -1 : a.auditID > b.auditID ? 1 : 0));
  const ids = new Map<string, number>();
  const types: number[] = [];
  const labels: string[] = [];
  const edges = new Map<number, number>();
  const verbs = new Set<string>();
  const nodeId = (type: NodeType, label: string): number => {
    const key = `${type}\u0000${label}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = labels.length;
      ids.set(key, id);
      types.push(typeCode.get(type)!);
      labels.push(label);
    }
    return id;
  };
  // Node ids stay far below 2^21, so a pair packs losslessly into one double.
  const link = (a: number, b: number): void => {
    if (a === b) return;
    const k = a < b ? a * 2097152 + b : b * 2097152 + a;
    edges.set(k, (edges.get(k) ?? 0) + 1);
  };
  const byType = new Map<NodeType, number[]>();
  // Per node, the events it was drawn from; `lastEvent` lists an event once where it names a node twice.
  const eventsOf: number[][] = [];
  const lastEvent: number[] = [];
  sorted.forEach((e, i) => {
    verbs.add(e.verb);
    byType.clear();
    for (const t of preset.nodeTypes) byType.set(t, nodeLabelsOf(e, t).map((s) => nodeId(t, s)));
    const hub = byType.get('object')![0];
    for (const [t, list] of byType) if (t !== 'object') for (const n of list) link(hub, n);
    for (const [ta, tb] of preset.pairs) {
      for (const a of byType.get(ta) ?? []) for (const b of byType.get(tb) ?? []) link(a, b);
    }
    for (const list of byType.values()) {
      for (const n of list) {
        if (lastEvent[n] === i) continue;
        lastEvent[n] = i;
        (eventsOf[n] ??= []).push(i);
      }
    }
  });
  const keys = [...edges.keys()].sort((a, b) => a - b);
  const src = new Int32Array(keys.length);
  const dst = new Int32Array(keys.length);
  const weight = new Float32Array(keys.length);
  keys.forEach((k, i) => {
    src[i] = Math.floor(k / 2097152);
    dst[i] = k % 2097152;
    weight[i] = edges.get(k)!;
  });
  return {
    preset: preset.name,
    windowUs,
    startUs,
    endUs: sorted.length ? sorted[sorted.length - 1].timeUs : startUs,
    partition,
    nodeTypes: Uint8Array.from(types),
    nodeLabels: labels,
    src,
    dst,
    weight,
    auditIDs: sorted.map((e) => e.auditID),
    labelMask: verbMask(verbs),
    verbs: [...verbs].sort(),
    nodeEvents: compress(eventsOf, labels.length),
  };
}

function compress(lists: number[][], nodes: number): NodeEventIndex {
  const offsets = new Uint32Array(nodes + 1);
  for (let i = 0; i < nodes; i++) offsets[i + 1] = offsets[i] + (lists[i]?.length ?? 0);
  const index = new Uint32Array(offsets[nodes]);
  for (let i = 0; i < nodes; i++) index.set(lists[i] ?? [], offsets[i]);
  return { offsets, index };
}
