// Domain types shared by the engine, the CLI and (through the contract) the renderer.
// Types only: nothing here runs.

/** Formats the decoders recognise, per file and per record. */
export type SourceFormat = 'raw' | 'eks' | 'gke' | 'aks';

/** Where an event's original bytes live, so the analyst can always see them. */
export interface EventOrigin {
  /** Evidence item id in the case store (one per file or archive member). */
  evidenceId: number;
  /** Path of the file, with archive members as `bundle.tar.gz!/logs/audit.log.1.gz`. */
  path: string;
  /** 1-based line number inside the (decompressed) member; 0 when the record is not line-framed. */
  line: number;
  /** 0-based index of the record inside the member (array element, EventList item, envelope record). */
  record: number;
}

/**
 * One normalized Kubernetes API-server audit event, whatever format it arrived in.
 * Times are integer microseconds since the Unix epoch (UTC).
 */
export interface AuditEvent {
  auditID: string;
  /** requestReceivedTimestamp (older: `timestamp`), µs. */
  timeUs: number;
  /** stageTimestamp of the final stage kept, µs; null when absent. */
  stageTimeUs: number | null;
  /** Final stage kept (ResponseComplete > ResponseStarted > RequestReceived > Panic ordering is the ingest's). */
  stage: string;
  /** Every stage seen for this auditID. */
  stages: string[];
  level: string;
  verb: string;
  user: string;
  groups: string[];
  uid: string | null;
  impersonatedUser: string | null;
  impersonatedGroups: string[];
  sourceIPs: string[];
  userAgent: string | null;
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
  name: string | null;
  apiGroup: string | null;
  apiVersion: string | null;
  requestURI: string;
  responseCode: number | null;
  /** authorization.k8s.io/decision annotation ('allow' | 'forbid' | …), or null. */
  decision: string | null;
  /** authorization.k8s.io/reason annotation, or null. */
  reason: string | null;
  annotations: Record<string, string>;
  requestObject: unknown;
  responseObject: unknown;
  format: SourceFormat;
  /** Cloud provider ('aws' | 'gcp' | 'azure') or null for plain kube-apiserver logs. */
  provider: string | null;
  /** Cluster name or id when the export says so. */
  cluster: string | null;
  /** Fields the source format cannot carry (e.g. GKE has no user groups): analysts must know. */
  missing: string[];
  origin: EventOrigin;
}

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export type TriageState = 'new' | 'investigating' | 'malicious' | 'benign_true_positive' | 'false_positive';

/** A reason attached to an anomaly or rule hit, citing the events behind it. */
export interface Reason {
  kind: string;
  text: string;
  auditIDs: string[];
  weight?: number;
  /**
   * The session-graph nodes this reason is about, by node type and label exactly as the session
   * graph has them (e.g. `{ type: 'user', label: 'alice' }` for a new-user reason; for occlusion,
   * the removed node with `weight` = the score drop). The UI highlights and sizes nodes from this;
   * older findings without it fall back to reading the text.
   */
  nodes?: { type: string; label: string; weight?: number }[];
  /** ATT&CK techniques this reason points at (a rule's, or what an anomaly's evidence usually is). */
  techniques?: string[];
  /**
   * Set only where `auditIDs` was cut to its first few for a list (findings.list, incidents.list):
   * how many events the reason cites. The one finding or incident read by id has them all.
   */
  citedTotal?: number;
}

/**
 * A finding as exported and as read by `gumshoe eval` (documented in docs/findings.md).
 * Times are RFC 3339 strings in exports.
 */
export interface FindingRecord {
  id: string;
  kind: 'anomaly' | 'rule' | 'correlated';
  start: string;
  end: string;
  score: number;
  severity: Severity;
  techniques: string[];
  users: string[];
  sourceIPs: string[];
  auditIDs: string[];
  title?: string;
  reasons?: Reason[];
  sessionId?: number;
  triage?: TriageState;
}

/** What became of a request: a denied or failed one is an attempt, never a success. */
export type Outcome = 'success' | 'denied' | 'failed' | 'unknown';

/**
 * How two identities or addresses of one incident are tied together, with the events that show it.
 * 'shared-ip': one source address used by both identities; 'minted-token': a token created for
 * `to` by `from`, then used; 'granted-identity': `from` bound a role to `to`, which then acted;
 * 'created-identity': `from` created the service account `to`, which then acted;
 * 'impersonation': `from` acted as `to`.
 */
export interface IncidentLink {
  kind: 'shared-ip' | 'minted-token' | 'granted-identity' | 'created-identity' | 'impersonation';
  from: string;
  to: string;
  text: string;
  auditIDs: string[];
}

/** One step of an incident's storyline: a key event and why it is in the story. */
export interface StorylineStep {
  /** RFC 3339. */
  time: string;
  auditID: string;
  user: string;
  sourceIPs: string[];
  verb: string;
  /** What was touched, e.g. `secrets kube-system/admin-token` or `pods/exec production/web-1`. */
  target: string;
  /** One line that says what happened (command of an exec, image of a pod, role of a binding…). */
  summary: string;
  outcome: Outcome;
  tactics: string[];
  techniques: string[];
  /** Findings citing this event. */
  findingIds: string[];
  /** Why the step matters: rule titles, anomaly reasons. */
  why: string[];
}

/**
 * One actor's episode (and whatever shares its credentials or addresses), as exported and as
 * `gumshoe eval` ranks it. Attribution is exact: `users` are the identities whose events the
 * incident cites in `auditIDs`, never bystanders of the same minute.
 */
export interface IncidentRecord {
  id: string;
  title: string;
  start: string;
  end: string;
  score: number;
  severity: Severity;
  tactics: string[];
  techniques: string[];
  users: string[];
  sourceIPs: string[];
  namespaces: string[];
  objects: string[];
  auditIDs: string[];
  /** Ids of the findings inside this incident. */
  findings: string[];
  links: IncidentLink[];
  storyline: StorylineStep[];
  /** Why it ranks where it does; 'new-*' reasons say what about it was never seen before. */
  reasons: Reason[];
  triage?: TriageState;
}
