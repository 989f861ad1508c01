import type { AuditEvent, FindingRecord, Reason, Severity } from '../../shared/domain.ts';

/**
 * What the hunt consumes from the stages before it. These mirror the names the sessions, model,
 * rules and store engineers publish; the hunt adapts their values into these so it can be tested
 * on hand-built cases and does not break when an upstream type grows a field.
 */

/** A session as the hunt needs it: its time span and the events it groups. */
export interface HuntSession {
  id: number;
  startUs: number;
  endUs: number;
  auditIDs: string[];
  /** Set for actor sessions (one identity's activity): the hunt then scores them against the actor's past and peers. */
  actor?: string;
}

export interface GraphNode {
  id: number | string;
  type: string;
  label: string;
}

export interface GraphEdge {
  src: number | string;
  dst: number | string;
  weight: number;
}

/**
 * The hunt's view of one session graph: labelled node and edge lists, as the store's
 * getSessionGraph returns them (LabelledSessionGraph) or with nodes dropped for occlusion. Not the
 * typed-array StoredSessionGraph the sessions stage builds, nor the UI's SessionGraphView.
 */
export interface HuntGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  auditIDs: string[];
}

/** Per-session embeddings, row-major: row i of `data` is session `sessionIds[i]`. Shapes: data [S, dim]. */
export interface EmbeddingSet {
  sessionIds: number[];
  dim: number;
  data: Float32Array;
  /**
   * With a model trained on the 'actor' objective (model/objective.ts): its softmax over
   * `classes` (the case's regular identities, then "(other)"), row-major [S, classes.length],
   * row i for session sessionIds[i]. Absent for other models and for runs stored before it was kept.
   */
  actorClasses?: { classes: string[]; probs: Float32Array };
}

/** One rule firing on one event (rule engine's RuleHit, reduced to what correlation needs). */
export interface HuntRuleHit {
  ruleId: string;
  title: string;
  severity: Severity;
  techniques: string[];
  auditID: string;
  timeUs: number;
  user: string;
  sourceIPs: string[];
}

/**
 * Fits on the rows and returns one anomaly score per row, higher = more anomalous, in [0, 1]
 * (the Isolation Forest's s(x, n)). Shapes: rows [S][F] → [S].
 */
export type AnomalyScorer = (rows: Float64Array[]) => { scores: number[]; scoreOne(row: Float64Array): number };

/** Events a hunt reads; time order matters for first-seen tracking. */
export type EventSource = () => Iterable<AuditEvent>;

/** A finding as the engine keeps it: the exported record plus what the store and report need. */
export interface Finding extends FindingRecord {
  title: string;
  reasons: Reason[];
  startUs: number;
  endUs: number;
  ruleIds: string[];
}
