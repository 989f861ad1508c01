import type { GraphNodeType, Note, SessionGraphView, SessionRow, TriageChange } from '../../shared/contract.ts';
import type { TriageState } from '../../shared/domain.ts';
import { nearestSessions } from '../hunt/similar.ts';
import type { Finding } from '../hunt/types.ts';
import type { Db } from '../store/db.ts';
import { getEventsByAuditIDs } from '../store/events-read.ts';
import { findingsOfSession, getFinding, listFindings, sessionScores } from '../store/findings.ts';
import { appendJournal, listJournal, type JournalEntry } from '../store/journal.ts';
import { addNote, setTriage } from '../store/notes.ts';
import { currentExaminer } from '../store/case-meta.ts';
import { findingListRow, findingRow } from '../store/list-rows.ts';
import { getEmbeddings, latestEmbeddingRunId, type EmbeddingRun } from '../store/model.ts';
import { listSessions, loadSessionGraph, type LabelledSessionGraph, type SessionSummary } from '../store/sessions.ts';
import { eventsOfNode, type StoredSessionGraph } from '../sessions/graph.ts';
import { NODE_TYPES } from '../sessions/presets.ts';
import type { CaseState } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { ApiFailure } from './errors.ts';
import { auditIDsByNode } from './node-events.ts';
import { markNodes } from './reason-nodes.ts';
import { uniqueReasons } from './unique-reasons.ts';

type AnalysisHandlers = Pick<
  Handlers,
  'sessions.list' | 'sessions.graph' | 'sessions.neighbours' | 'findings.list' | 'findings.get' | 'findings.setTriage' | 'notes.list' | 'notes.add' | 'triage.history'
>;

const SEVERITY_RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 } as const;
/**
 * Past this many, a node's event list is cut (its count stays whole): the list is what the panel
 * beside the graph shows as links, and a controller's node in a busy session can hold tens of
 * thousands. For a session stored before migration 034, the session's events read back are cut here.
 */
const MAX_SESSION_EVENTS = 5000;

const toSessionRow = (s: SessionSummary, score: number | null): SessionRow => ({
  id: s.id,
  startUs: s.startUs,
  // Exclusive, as a clock slice's end is: a gap-cut session ends just after its last event.
  endUs: s.endUs + 1,
  key: s.partition,
  events: s.events,
  nodes: s.nodes,
  edges: s.edges,
  verbs: s.verbs,
  score,
});

type StoredSession = StoredSessionGraph & { id: number };

// The counts saveSessions stores (n_nodes, n_edges, n_events) are these lengths, so the one row read gives both.
const summaryOf = (g: StoredSession): SessionSummary => ({
  id: g.id,
  preset: g.preset,
  windowUs: g.windowUs,
  startUs: g.startUs,
  endUs: g.endUs,
  partition: g.partition,
  nodes: g.nodeLabels.length,
  edges: g.src.length,
  events: g.auditIDs.length,
  verbs: g.verbs,
  labelMask: g.labelMask,
});

// getSessionGraph's mapping, from the row already read (getSessionGraph would read and parse it again).
const labelledGraph = (g: StoredSession): LabelledSessionGraph => ({
  nodes: g.nodeLabels.map((label, id) => ({ id, type: NODE_TYPES[g.nodeTypes[id]], label })),
  edges: Array.from(g.src, (src, i) => ({ src, dst: g.dst[i], weight: g.weight[i] })),
  auditIDs: g.auditIDs,
});

function journalNote(e: JournalEntry): Note {
  const d = e.detail as { text?: unknown; sessionId?: unknown };
  return { id: e.id, at: e.at, text: typeof d.text === 'string' ? d.text : '', findingId: e.findingId, sessionId: typeof d.sessionId === 'number' ? d.sessionId : null, by: e.actor };
}

/**
 * A node's events: from the index the sessions stage stored with the graph, or, for a session
 * stored before it did (migration 034), by re-reading the session's first MAX_SESSION_EVENTS events.
 */
function nodeEventsOf(d: Db, g: StoredSession): (node: number, type: string, label: string) => { count: number; auditIDs: string[] } {
  if (g.nodeEvents) {
    const indexed = { auditIDs: g.auditIDs, nodeEvents: g.nodeEvents };
    return (node) => eventsOfNode(indexed, node, MAX_SESSION_EVENTS);
  }
  const byNode = auditIDsByNode(getEventsByAuditIDs(d, g.auditIDs.slice(0, MAX_SESSION_EVENTS)));
  return (_node, type, label) => {
    const auditIDs = byNode(type, label);
    return { count: auditIDs.length, auditIDs };
  };
}

/** Sessions, findings, triage and notes over the stores the sessions and hunt stages fill. */
export function analysisHandlers(cases: CaseState): AnalysisHandlers {
  const db = () => cases.require().db;
  // The latest embedding run, read once per run and case rather than once per click (a case of
  // 100K sessions holds 25 MB of embeddings).
  let embeddings: { db: Db; run: EmbeddingRun } | null = null;
  const latestEmbeddings = (d: Db): EmbeddingRun | null => {
    const id = latestEmbeddingRunId(d);
    if (id === null) return null;
    if (embeddings?.db !== d || embeddings.run.runId !== id) {
      const run = getEmbeddings(d, id);
      embeddings = run ? { db: d, run } : null;
    }
    return embeddings?.run ?? null;
  };
  const allSessions = (d: Db): SessionRow[] => {
    const scores = sessionScores(d);
    return listSessions(d).map((s) => toSessionRow(s, scores.get(s.id) ?? null));
  };
  return {
    'sessions.list': ({ offset, limit, sort }) => {
      const rows = allSessions(db());
      if (sort === 'score') rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.startUs - b.startUs);
      else if (sort === 'size') rows.sort((a, b) => b.events - a.events || a.startUs - b.startUs);
      return { rows: rows.slice(offset, offset + limit), total: rows.length };
    },
    'sessions.graph': ({ sessionId }): SessionGraphView => {
      const d = db();
      // One session, one row: its summary comes from the row its graph is read from, and its
      // score and reasons from the findings that cite it (selected by session id in SQL), not
      // from every session and finding of the case.
      const stored = loadSessionGraph(d, sessionId, { nodeEvents: true });
      if (!stored) throw new ApiFailure('not-found', `no session ${sessionId}`);
      const view = labelledGraph(stored);
      const cited = findingsOfSession(d, sessionId);
      const session = toSessionRow(summaryOf(stored), cited.length > 0 ? Math.max(...cited.map((f) => f.score)) : null);
      const eventsOf = nodeEventsOf(d, stored);
      const nodeEvents: Record<string, string[]> = {};
      const explanation = uniqueReasons(cited.flatMap((f) => f.reasons));
      // The hunt's reasons name what was new and what drove the score (occlusion); read them back
      // onto the nodes. Without occlusion, a node's size falls back to its weighted degree.
      const marks = markNodes(explanation, view.nodes);
      const degree = new Map<number, number>();
      for (const e of view.edges) {
        degree.set(e.src, (degree.get(e.src) ?? 0) + e.weight);
        degree.set(e.dst, (degree.get(e.dst) ?? 0) + e.weight);
      }
      const nodes = view.nodes.map((n, i) => {
        const id = String(n.id);
        const { count, auditIDs } = eventsOf(i, n.type, n.label);
        nodeEvents[id] = auditIDs;
        const { isNew, occlusion } = marks[i];
        return { id, type: n.type as GraphNodeType, label: n.label, events: count, attribution: occlusion ?? degree.get(n.id) ?? 0, isNew };
      });
      return { session, nodes, edges: view.edges.map((e) => ({ source: String(e.src), target: String(e.dst), weight: e.weight })), nodeEvents, explanation };
    },
    'sessions.neighbours': ({ sessionId, count }) => {
      const d = db();
      const rows = allSessions(d);
      const me = rows.find((s) => s.id === sessionId);
      if (!me) throw new ApiFailure('not-found', `no session ${sessionId}`);
      const inTime = rows
        .filter((s) => s.id !== sessionId && s.key === me.key)
        .sort((a, b) => Math.abs(a.startUs - me.startUs) - Math.abs(b.startUs - me.startUs))
        .slice(0, count);
      const run = latestEmbeddings(d);
      const byId = new Map(rows.map((s) => [s.id, s]));
      const near = run ? nearestSessions(run, sessionId, count) : { nearest: [], typicalDistance: null };
      const similar = near.nearest.flatMap((n) => {
        const s = byId.get(n.sessionId);
        return s ? [{ ...s, distance: n.distance }] : [];
      });
      return { inTime, similar, typicalDistance: near.typicalDistance, embeddingRunId: run?.runId ?? null };
    },
    'findings.list': ({ severity, technique, triage, user, sourceIP, sort, offset, limit }) => {
      let rows = listFindings(db(), { severities: severity, states: triage as TriageState[] | undefined, techniques: technique ? [technique] : undefined });
      if (user) rows = rows.filter((f) => f.users.some((u) => u.includes(user)));
      if (sourceIP) rows = rows.filter((f) => f.sourceIPs.includes(sourceIP));
      if (sort === 'start') rows.sort((a, b) => a.start.localeCompare(b.start));
      else if (sort === 'severity') rows.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.score - a.score);
      return { rows: rows.slice(offset, offset + limit).map(findingListRow), total: rows.length };
    },
    'findings.get': ({ findingId }) => {
      const f = getFinding(db(), findingId);
      if (!f) throw new ApiFailure('not-found', `no finding ${findingId.slice(0, 80)}`);
      return findingRow(f);
    },
    'findings.setTriage': ({ findingId, state }) => {
      const d = db();
      if (!getFinding(d, findingId)) throw new ApiFailure('not-found', `no finding ${findingId.slice(0, 80)}`);
      setTriage(d, findingId, state, currentExaminer(d));
      return findingRow(getFinding(d, findingId) as Finding);
    },
    'notes.list': ({ findingId, sessionId }) =>
      listJournal(db(), findingId)
        .filter((e) => e.action === 'note')
        .map(journalNote)
        .filter((n) => sessionId === undefined || n.sessionId === sessionId),
    'notes.add': ({ text, findingId, sessionId }) => {
      const d = db();
      if (findingId !== undefined) {
        if (!getFinding(d, findingId)) throw new ApiFailure('not-found', `no finding ${findingId.slice(0, 80)}`);
        const n = addNote(d, findingId, text, currentExaminer(d));
        return { id: n.id, at: n.createdAt, text, findingId, sessionId: sessionId ?? null, by: n.author };
      }
      // Case- and session-level notes live in the journal alone: it is append-only and timestamped.
      return journalNote(appendJournal(d, { action: 'note', actor: currentExaminer(d), detail: sessionId === undefined ? { text } : { text, sessionId } }));
    },
    'triage.history': ({ findingId }): TriageChange[] =>
      listJournal(db(), findingId)
        .filter((e) => e.action === 'triage' && e.findingId !== null)
        .map((e) => {
          const d = e.detail as { from?: TriageState; to: TriageState };
          return { findingId: e.findingId as string, at: e.at, from: d.from ?? null, to: d.to, by: e.actor };
        }),
  };
}
