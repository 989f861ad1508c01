// The API contract: every call the UI can make and every event it can receive. Both transports
// (Electron IPC in src/main, loopback HTTP in src/engine/api/http.ts) serve the same handler table
// against this file, and both validate arguments with these schemas before a handler runs: the
// renderer is treated as untrusted, because it renders hostile log strings.
import { z } from 'zod';
import type { AuditEvent, FindingRecord, IncidentRecord, Outcome, Severity, SourceFormat, TriageState } from './domain.ts';

const id = z.number().int().nonnegative();
const us = z.number().int();
const offset = z.number().int().nonnegative().default(0);
const limit = z.number().int().min(1).max(10_000).default(200);
const path = z.string().min(1).max(4096);
/** One export file: the PDF, the JSON (allEvents: every event, streamed), the timeline as Timesketch JSON lines or CSV, STIX 2.1, a Navigator layer. */
const exportArgs = z.object({ format: z.enum(['pdf', 'json', 'timesketch', 'csv', 'stix', 'navigator']), path, allEvents: z.boolean().default(false) }).strict();
const short = z.string().max(512);
const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
const triage = z.enum(['new', 'investigating', 'malicious', 'benign_true_positive', 'false_positive']);
const none = z.object({}).strict();
const auditID = z.string().min(1).max(256);
const caseField = z.string().max(512).nullable();
/** What the case journal records (src/engine/store/journal.ts appends them). */
export const JOURNAL_ACTIONS = ['ingest', 'sessions', 'train', 'hunt', 'triage', 'note', 'mark', 'export', 'case'] as const;
export type JournalAction = (typeof JOURNAL_ACTIONS)[number];
/**
 * The search's fields (docs/ui.md 'Search'): `user`, `userAgent` and `name` match substrings,
 * `ip` an address or a CIDR block (v4 or v6), `verb`/`resource`/`namespace` exact values
 * (comma-separated for several), `code` a status (403) or a class (4xx), `text` words anywhere.
 */
const searchFields = {
  fromUs: us.optional(),
  toUs: us.optional(),
  user: short.optional(),
  ip: short.optional(),
  verb: short.optional(),
  resource: short.optional(),
  namespace: short.optional(),
  name: short.optional(),
  code: z.string().regex(/^(\d{3}|[1-5]xx)$/i).optional(),
  decision: short.optional(),
  userAgent: short.optional(),
  text: short.optional(),
  starred: z.boolean().optional(),
  tag: short.optional(),
  /** Only events the analyst marked (starred, tagged or commented): the timeline's marks. */
  marked: z.boolean().optional(),
};

/** Every call: its channel name and the schema its single argument object must satisfy. */
export const calls = {
  'app.info': none,

  'cases.current': none,
  'cases.open': z.object({ dir: path }).strict(),
  'cases.create': z.object({ dir: path }).strict(),
  'cases.summary': none,

  /** Native dialogs exist only in the desktop app; web mode answers 'not-available'. */
  'dialogs.pickDirectory': z.object({ title: short.optional() }).strict(),
  'dialogs.pickEvidence': z.object({ title: short.optional() }).strict(),
  'dialogs.pickSavePath': z.object({ title: short.optional(), defaultName: short.optional() }).strict(),

  'evidence.list': none,
  'evidence.add': z.object({ paths: z.array(path).min(1).max(1000) }).strict(),
  'evidence.errors': z.object({ evidenceId: id.optional(), offset, limit }).strict(),
  'evidence.raw': z.object({ errorId: id }).strict(),
  'evidence.verify': none,

  'events.query': z
    .object({
      fromUs: us.optional(),
      toUs: us.optional(),
      user: short.optional(),
      verb: short.optional(),
      sourceIP: short.optional(),
      text: short.optional(),
      sessionId: id.optional(),
      offset,
      limit,
    })
    .strict(),
  'events.get': z.object({ auditID: z.string().min(1).max(256) }).strict(),
  'events.histogram': z.object({ fromUs: us.optional(), toUs: us.optional(), buckets: z.number().int().min(1).max(5000).default(300) }).strict(),

  'jobs.list': none,
  'jobs.start': z.object({ kind: z.enum(['sessions', 'train', 'hunt', 'analyse']), options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}) }).strict(),
  'jobs.cancel': z.object({ jobId: z.string().min(1).max(64) }).strict(),

  'sessions.list': z.object({ offset, limit, sort: z.enum(['time', 'score', 'size']).default('time') }).strict(),
  'sessions.graph': z.object({ sessionId: id }).strict(),
  'sessions.neighbours': z.object({ sessionId: id, count: z.number().int().min(1).max(50).default(6) }).strict(),

  'model.status': none,
  'embeddings.get': z.object({ stage: z.enum(['before', 'after']) }).strict(),

  'findings.list': z
    .object({
      severity: z.array(severity).optional(),
      technique: short.optional(),
      triage: z.array(triage).optional(),
      user: short.optional(),
      sourceIP: short.optional(),
      sort: z.enum(['score', 'start', 'severity']).default('score'),
      offset,
      limit: z.number().int().min(1).max(200_000).default(1000),
    })
    .strict(),
  'findings.get': z.object({ findingId: z.string().min(1).max(128) }).strict(),

  /** Incidents of the latest hunt, ranked; each holds its findings, which stay triageable one by one. */
  'incidents.list': z
    .object({
      severity: z.array(severity).optional(),
      triage: z.array(triage).optional(),
      user: short.optional(),
      sourceIP: short.optional(),
      offset,
      limit: z.number().int().min(1).max(10_000).default(500),
    })
    .strict(),
  'incidents.get': z.object({ incidentId: z.string().min(1).max(128) }).strict(),
  'incidents.setTriage': z.object({ incidentId: z.string().min(1).max(128), state: triage }).strict(),
  'findings.setTriage': z.object({ findingId: z.string().min(1).max(128), state: triage }).strict(),

  'notes.list': z.object({ findingId: z.string().max(128).optional(), sessionId: id.optional() }).strict(),
  'notes.add': z.object({ text: z.string().min(1).max(100_000), findingId: z.string().max(128).optional(), sessionId: id.optional() }).strict(),
  'triage.history': z.object({ findingId: z.string().max(128).optional() }).strict(),
  /** The case journal, newest first: the chain-of-custody record of who did what to the case, when. */
  'journal.list': z.object({ action: z.array(z.enum(JOURNAL_ACTIONS)).max(JOURNAL_ACTIONS.length).optional(), offset, limit: z.number().int().min(1).max(1000).default(100) }).strict(),

  'export.run': exportArgs,
  /** The same export as a job in a worker, with progress (jobs.list, job events); the path is checked before it starts. */
  'export.start': exportArgs,

  /** One search over events (docs/ui.md 'Search'); every field narrows, none is required. */
  'search.events': z.object({ ...searchFields, offset, limit: z.number().int().min(1).max(1000).default(200) }).strict(),
  /** The whole result of a search as CSV or JSON lines, for the analyst to save. */
  'search.export': z.object({ ...searchFields, format: z.enum(['csv', 'jsonl']) }).strict(),
  'search.saved': none,
  'search.save': z.object({ name: z.string().trim().min(1).max(200), query: z.object(searchFields).strict() }).strict(),
  'search.unsave': z.object({ id }).strict(),

  'marks.list': z.object({ starred: z.boolean().optional(), tag: short.optional(), auditIDs: z.array(auditID).max(10_000).optional() }).strict(),
  'marks.set': z
    .object({ auditID, starred: z.boolean().optional(), tags: z.array(z.string().max(64)).max(32).optional(), comment: z.string().max(100_000).nullable().optional() })
    .strict(),

  'case.meta': none,
  'case.setMeta': z
    .object({
      examiner: caseField.optional(),
      caseNumber: caseField.optional(),
      requester: caseField.optional(),
      scope: z.string().max(100_000).nullable().optional(),
      summary: z.string().max(100_000).nullable().optional(),
      conclusions: z.string().max(100_000).nullable().optional(),
    })
    .strict(),

  /** An identity, a source address, a namespace or an object, with everything seen around it. */
  'entities.get': z.object({ kind: z.enum(['user', 'ip', 'namespace', 'object']), key: z.string().min(1).max(1024) }).strict(),
} as const;

export type Channel = keyof typeof calls;
export const channels = Object.keys(calls) as Channel[];
export const isChannel = (name: string): name is Channel => Object.hasOwn(calls, name);

/** What a caller passes (defaults may be omitted). */
export type Args<C extends Channel> = z.input<(typeof calls)[C]>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedArgs<C extends Channel> = z.output<(typeof calls)[C]>;

// ---------------------------------------------------------------------------------------------
// Results

export interface AppInfo {
  version: string;
  transport: 'ipc' | 'http';
  /** Calls whose engine has landed; the UI says plainly when a view's call is not among them. */
  available: Channel[];
}

export interface CaseInfo {
  dir: string;
  /** The case directory's base name. */
  name: string;
}

export interface CaseSummary {
  events: number;
  evidence: number;
  errors: number;
  /** µs since the epoch; null for an empty case. */
  firstUs: number | null;
  lastUs: number | null;
  users: number;
  sourceIPs: number;
  formats: SourceFormat[];
}

export interface EvidenceItem {
  id: number;
  path: string;
  parentId: number | null;
  container: string;
  size: number | null;
  sha256: string | null;
  formats: SourceFormat[];
  events: number;
  errors: number;
  /** Result of the last hash re-check: null when never checked. */
  verified: boolean | null;
}

export interface RecordErrorRow {
  id: number;
  /** null when the error is about an input that never became an evidence item (unreadable path). */
  evidenceId: number | null;
  path: string;
  line: number;
  record: number;
  code: string;
  reason: string;
  excerpt: string;
}

/** The line behind a record error: read again from the evidence when it is a plain file, else the stored excerpt. */
export interface RawRecord {
  path: string;
  line: number;
  text: string;
  source: 'file' | 'excerpt';
}

export interface VerifyResult {
  checked: number;
  /** Items whose bytes no longer hash to what was recorded, or that are gone or never finished. */
  problems: { path: string; status: 'changed' | 'missing' | 'unfinished' }[];
}

/** One row of the Events table: enough to scan; the whole event comes from events.get. */
export interface EventListRow {
  auditID: string;
  timeUs: number;
  verb: string;
  user: string;
  sourceIPs: string[];
  resource: string | null;
  namespace: string | null;
  name: string | null;
  responseCode: number | null;
  decision: string | null;
  userAgent: string | null;
  requestURI: string;
}

export interface EventDetail {
  event: AuditEvent;
  /** The original record text, exactly as read from the evidence. */
  raw: string | null;
}

export interface Histogram {
  startUs: number;
  bucketUs: number;
  counts: number[];
  /** Session anomaly scores placed at the session's start (empty until hunt has run). */
  anomalies: { timeUs: number; score: number; sessionId: number }[];
  ruleHits: { timeUs: number; findingId: string; severity: Severity; techniques: string[]; sessionId: number | null }[];
}

/** `analyse`: sessions, training and the hunt in one job, what an analyst runs after adding evidence. */
export type JobKind = 'ingest' | 'sessions' | 'train' | 'hunt' | 'analyse' | 'export';
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Same shape as the engine's Progress (src/engine/util/progress.ts), restated: shared imports no engine. */
export interface JobProgress {
  stage: string;
  done: number;
  total: number | null;
  unit: string;
  rate: number;
  etaS: number | null;
  detail?: string;
  /** Training only: every finished epoch so far (the Model view's live loss and F1 curves). */
  epochs?: { epoch: number; loss: number; valF1: number | null }[];
}

export interface JobInfo {
  id: string;
  kind: JobKind;
  state: JobState;
  progress: JobProgress | null;
  error: ApiError | null;
  startedAt: string;
  finishedAt: string | null;
  /** What a finished job made, in a few numbers; null until it is done (and for a failed or cancelled one). */
  result: JobResult | null;
}

/**
 * A done job's outcome, per kind: counts and the one file an export wrote, never event lists (it
 * travels with every job event). `validationF1` is the micro-averaged F1 on held-out sessions.
 */
export type JobResult =
  | { kind: 'ingest'; files: number; events: number; duplicates: number; skippedLines: number; unchangedFiles: number }
  | { kind: 'sessions'; sessions: number; events: number }
  | { kind: 'train'; backend: string; epochs: number; validationF1: number | null; sessions: number }
  | { kind: 'hunt'; findings: number; incidents: number }
  | { kind: 'analyse'; backend: string; epochs: number; validationF1: number | null; sessions: number; findings: number; incidents: number }
  | { kind: 'export'; format: ExportFormat; path: string; bytes: number; sha256: string };

export type ExportFormat = z.output<typeof exportArgs>['format'];

export interface SessionRow {
  id: number;
  startUs: number;
  endUs: number;
  /** Partition key: 'cluster' or the actor the session was cut by. */
  key: string;
  events: number;
  nodes: number;
  edges: number;
  verbs: string[];
  score: number | null;
}

/** Sessions to look at next from one session. */
export interface SessionNeighbours {
  /** The same actor's (or the cluster's) sessions nearest in time, nearest first. */
  inTime: SessionRow[];
  /**
   * Any session whose embedding lies nearest to this one's (Euclidean distance), nearest first: what
   * the model saw as the same kind of minute, whoever did it. Empty before training, or when the
   * session is not in the latest embedding run.
   */
  similar: (SessionRow & { distance: number })[];
  /** The median distance from this session to all others in the run, to read `distance` against; null without a run. */
  typicalDistance: number | null;
  /** The embedding run `similar` comes from; null when there is none. */
  embeddingRunId: number | null;
}

/** The sessions stage's node types (src/engine/sessions/presets.ts NODE_TYPES). */
export type GraphNodeType = 'ip' | 'group' | 'object' | 'resource' | 'decision' | 'user' | 'agent' | 'namespace' | 'subresource' | 'code' | 'image' | 'registry' | 'subject' | 'role' | 'impersonator';

/** One session graph as the UI draws it: readable nodes with their attribution, and the explanation. */
export interface SessionGraphView {
  session: SessionRow;
  nodes: { id: string; type: GraphNodeType; label: string; events: number; attribution: number; isNew: boolean }[];
  edges: { source: string; target: string; weight: number }[];
  /** auditIDs behind each node, for the click-a-node event list. */
  nodeEvents: Record<string, string[]>;
  explanation: { kind: string; text: string; auditIDs: string[]; weight?: number }[];
}

export interface ModelStatus {
  trained: boolean;
  backend: string | null;
  /**
   * What the GCN learned to predict (docs/model.md): 'verbs', the verbs a session holds (the
   * talk's, the seed preset's), or 'actor', which identity a session is from what it touched
   * (actor sessions). Null with no model.
   */
  objective: 'verbs' | 'actor' | null;
  epochs: { epoch: number; loss: number; f1: number | null }[];
  /** Validation per class: a verb for 'verbs', an identity (or "other") for 'actor'. */
  perVerb: { verb: string; precision: number; recall: number; f1: number; support: number }[];
}

export interface EmbeddingMap {
  stage: 'before' | 'after';
  points: { sessionId: number; x: number; y: number; verb: string; score: number | null }[];
}

/**
 * A finding with its triage state and how many events it cites. In findings.list its auditIDs,
 * and each reason's, are cut to their first few (api/list-reasons.ts); findings.get has them all.
 */
export type FindingRow = FindingRecord & { triage: TriageState; events: number };

/** An incidents-list row: the incident without its storyline and cited events (incidents.get has them). */
export type IncidentRow = Omit<IncidentRecord, 'storyline' | 'auditIDs'> & { triage: TriageState; rank: number; events: number };
export type IncidentDetail = IncidentRecord & { triage: TriageState; rank: number };

export interface Page<T> {
  rows: T[];
  total: number;
}

export interface Note {
  id: number;
  at: string;
  text: string;
  findingId: string | null;
  sessionId: number | null;
  /** The examiner who wrote it (the journal's actor); null when none was set. */
  by: string | null;
}

export interface TriageChange {
  findingId: string;
  at: string;
  from: TriageState | null;
  to: TriageState;
  /** The examiner who changed it; null when none was set. */
  by: string | null;
}

/** One line of the case journal as the UI lists it. */
export interface JournalItem {
  id: number;
  /** RFC 3339, UTC. */
  at: string;
  /** One of JOURNAL_ACTIONS; a string, so an action a later version journals still lists. */
  action: string;
  /** The examiner; null when none was set (or for the tool's own runs journaled before one was). */
  actor: string | null;
  findingId: string | null;
  incidentId: string | null;
  sessionId: number | null;
  /** The entry's detail in one line of words. */
  summary: string;
}

export interface ExportResult {
  path: string;
  bytes: number;
  sha256: string;
}

/** A search, as saved and as the search calls take it. */
export type SearchQuery = z.output<z.ZodObject<typeof searchFields>>;

/** An analyst's mark on one event; `updatedAt` is RFC 3339, UTC. */
export interface EventMark {
  auditID: string;
  starred: boolean;
  tags: string[];
  comment: string | null;
  author: string | null;
  updatedAt: string;
}

/** One search result: the Events-table row plus what happened, in words, and the analyst's mark. */
export interface SearchHit extends EventListRow {
  target: string;
  summary: string;
  outcome: Outcome;
  mark: EventMark | null;
}

export interface SearchPage {
  rows: SearchHit[];
  /** Matching events, counted up to a cap (totalCapped: there are more). */
  total: number;
  totalCapped: boolean;
}

export interface SearchExport {
  text: string;
  rows: number;
  /** The result was longer than one export holds; narrow the search to get the rest. */
  truncated: boolean;
}

export interface SavedSearch {
  id: number;
  name: string;
  query: SearchQuery;
  author: string | null;
  createdAt: string;
}

/** The case's own fields for the signed report. The analyst's summary sits beside the report's automatic one. */
export interface CaseMeta {
  examiner: string | null;
  caseNumber: string | null;
  requester: string | null;
  scope: string | null;
  summary: string | null;
  conclusions: string | null;
}

export type EntityKind = 'user' | 'ip' | 'namespace' | 'object';

/** How often one value was seen beside the entity. */
export interface Seen {
  value: string;
  events: number;
}

/** Everything an entity page shows. Objects are keyed `resource/namespace/name` (namespace empty for cluster-scoped). */
export interface EntityPage {
  kind: EntityKind;
  key: string;
  events: number;
  firstUs: number | null;
  lastUs: number | null;
  /** Events per hour (or per bucket for objects), from firstUs's hour. */
  activity: { startUs: number; bucketUs: number; counts: number[] };
  /** verb × resource with counts, most first. */
  verbsByResource: { verb: string; resource: string; events: number }[];
  users: Seen[];
  ips: Seen[];
  agents: Seen[];
  namespaces: Seen[];
  incidents: IncidentRow[];
  findings: FindingRow[];
  marks: EventMark[];
  /** Notes on the findings and incidents involving it. */
  notes: Note[];
}

export interface Results {
  'app.info': AppInfo;
  'cases.current': CaseInfo | null;
  'cases.open': CaseInfo;
  'cases.create': CaseInfo;
  'cases.summary': CaseSummary;
  'dialogs.pickDirectory': string | null;
  'dialogs.pickEvidence': string[] | null;
  'dialogs.pickSavePath': string | null;
  'evidence.list': EvidenceItem[];
  'evidence.add': { jobId: string };
  'evidence.errors': Page<RecordErrorRow>;
  'evidence.raw': RawRecord;
  'evidence.verify': VerifyResult;
  'events.query': Page<EventListRow>;
  'events.get': EventDetail;
  'events.histogram': Histogram;
  'jobs.list': JobInfo[];
  'jobs.start': { jobId: string };
  'jobs.cancel': { cancelled: boolean };
  'sessions.list': Page<SessionRow>;
  'sessions.graph': SessionGraphView;
  'sessions.neighbours': SessionNeighbours;
  'model.status': ModelStatus;
  'embeddings.get': EmbeddingMap;
  'findings.list': Page<FindingRow>;
  'findings.get': FindingRow;
  'findings.setTriage': FindingRow;
  'incidents.list': Page<IncidentRow>;
  'incidents.get': IncidentDetail;
  'incidents.setTriage': IncidentDetail;
  'notes.list': Note[];
  'notes.add': Note;
  'triage.history': TriageChange[];
  'journal.list': Page<JournalItem>;
  'export.run': ExportResult;
  'export.start': { jobId: string };
  'search.events': SearchPage;
  'search.export': SearchExport;
  'search.saved': SavedSearch[];
  'search.save': SavedSearch;
  'search.unsave': { deleted: boolean };
  'marks.list': EventMark[];
  'marks.set': EventMark | null;
  'case.meta': CaseMeta;
  'case.setMeta': CaseMeta;
  'entities.get': EntityPage;
}

// ---------------------------------------------------------------------------------------------
// Errors and events

/**
 * 'not-available-yet': the engine stage behind this call has not been built; the UI shows it as such.
 * 'no-case': a case must be opened first. 'user': an error the analyst can act on (bad path…).
 */
export type ApiErrorCode = 'not-available-yet' | 'not-available' | 'invalid-argument' | 'unknown-call' | 'no-case' | 'not-found' | 'forbidden' | 'user' | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** Per-field problems for 'invalid-argument'. */
  issues?: { path: string; message: string }[];
}

/** Handlers never throw across a transport: every answer is one of these. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type ApiEvent = { type: 'job'; job: JobInfo } | { type: 'case'; case: CaseInfo | null };

/** The event channel's name on IPC and the path of the event stream over HTTP. */
export const EVENT_CHANNEL = 'gumshoe:event';

/** What the renderer sees as `window.gumshoe` (desktop) and what the HTTP client implements (web). */
export type GumshoeApi = { [C in Channel]: (args: Args<C>) => Promise<ApiResult<Results[C]>> } & {
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** A dropped file's path on disk (desktop only; browsers do not reveal paths, so web mode gives null). */
  pathForFile(file: unknown): string | null;
};
