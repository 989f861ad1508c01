import { z } from 'zod';

/**
 * The case export, version 2 (2: incidents lead; case metadata, marks, optional every event). Bump EXPORT_SCHEMA_VERSION on any change a consumer could notice,
 * and regenerate docs/case-export.schema.json (a test fails until the committed file matches).
 */
export const EXPORT_SCHEMA_VERSION = 2;

const time = z.iso.datetime({ offset: true }).describe('RFC 3339, UTC, up to microseconds');
const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
const triage = z.enum(['new', 'investigating', 'malicious', 'benign_true_positive', 'false_positive']);
const anyRecord = z.record(z.string(), z.unknown());

export const ReasonSchema = z.object({
  kind: z.string().describe('verbs, size, new-sourceIP, new-namespace, new-user, new-userAgent, new-resource, rare-pair, occlusion, nearest-normal, rule-hit'),
  text: z.string(),
  auditIDs: z.array(z.string()).describe('Events behind this reason; each is in the top-level events list'),
  weight: z.number().optional(),
});

export const NoteSchema = z.object({
  id: z.number().int(),
  findingId: z.string(),
  text: z.string(),
  author: z.string().nullable(),
  createdAt: time,
});

export const FindingSchema = z.object({
  id: z.string(),
  kind: z.enum(['anomaly', 'rule', 'correlated']),
  title: z.string(),
  start: time,
  end: time,
  score: z.number().min(0).max(1).describe('Risk: noisy-OR of anomaly and rule risk'),
  severity,
  techniques: z.array(z.string()).describe('MITRE ATT&CK technique IDs'),
  users: z.array(z.string()),
  sourceIPs: z.array(z.string()),
  auditIDs: z.array(z.string()),
  ruleIds: z.array(z.string()),
  sessionId: z.number().int().optional(),
  triage,
  reasons: z.array(ReasonSchema),
  notes: z.array(NoteSchema),
});

const outcome = z.enum(['success', 'denied', 'failed', 'unknown']);

export const StorylineStepSchema = z.object({
  time,
  auditID: z.string(),
  user: z.string(),
  sourceIPs: z.array(z.string()),
  verb: z.string(),
  target: z.string().describe('What was touched, e.g. `pods/exec production/web-1`'),
  summary: z.string().describe('What happened, in one line (command of an exec, image of a pod, role of a binding)'),
  outcome,
  tactics: z.array(z.string()),
  techniques: z.array(z.string()),
  findingIds: z.array(z.string()),
  why: z.array(z.string()),
});

export const IncidentLinkSchema = z.object({
  kind: z.enum(['shared-ip', 'minted-token', 'granted-identity', 'created-identity', 'impersonation']),
  from: z.string(),
  to: z.string(),
  text: z.string(),
  auditIDs: z.array(z.string()),
});

export const IncidentSchema = z.object({
  id: z.string(),
  rank: z.number().int().min(1).describe('1 = riskiest'),
  title: z.string(),
  start: time,
  end: time,
  score: z.number().min(0).max(1),
  severity,
  tactics: z.array(z.string()),
  techniques: z.array(z.string()).describe('MITRE ATT&CK technique IDs'),
  users: z.array(z.string()).describe('Identities whose events the incident cites, never bystanders'),
  sourceIPs: z.array(z.string()),
  namespaces: z.array(z.string()),
  objects: z.array(z.string()),
  auditIDs: z.array(z.string()).describe('The events the incident cites; each is in the top-level events list'),
  findings: z.array(z.string()).describe('Ids of the findings inside; each is in the top-level findings list'),
  links: z.array(IncidentLinkSchema),
  storyline: z.array(StorylineStepSchema),
  reasons: z.array(ReasonSchema),
  triage,
  notes: z.array(NoteSchema).describe('Notes on the incident and on the findings inside it'),
});

export const MarkSchema = z.object({
  auditID: z.string(),
  starred: z.boolean(),
  tags: z.array(z.string()),
  comment: z.string().nullable(),
  author: z.string().nullable(),
  updatedAt: time,
});

export const IndicatorSchema = z.object({
  kind: z.enum(['account', 'ip', 'image', 'object']),
  value: z.string(),
  incidents: z.array(z.string()).describe('Incidents showing it, riskiest first'),
});

export const CitedEventSchema = z.object({
  auditID: z.string(),
  time,
  evidencePath: z.string().nullable(),
  line: z.number().int().nullable(),
  record: z.number().int().nullable(),
  raw: z.string().nullable().describe('The original record text as read from the evidence, unaltered; null when the store lacks it'),
});

export const EvidenceSchema = z.object({
  id: z.number().int(),
  path: z.string(),
  parent: z.string().nullable(),
  container: z.string(),
  sha256: z.string().nullable().describe('SHA-256 recorded at acquisition'),
  size: z.number().int().nullable(),
  acquiredAt: z.string(),
  events: z.number().int(),
  errors: z.number().int(),
  verification: z.object({
    status: z
      .enum(['match', 'mismatch', 'missing', 'unfinished', 'unreadable', 'in-container'])
      .describe('unfinished: ingest never completed the item, so there is no hash to compare; in-container: an archive member that could not be re-read on its own, covered by its container\'s hash'),
    sha256Now: z.string().nullable(),
    verifiedAt: time,
  }),
});

export const JournalSchema = z.object({
  id: z.number().int(),
  at: time,
  actor: z.string().nullable(),
  action: z.string().describe('hunt, triage, note, export, and whatever the analyst\'s tools journal next'),
  findingId: z.string().nullable(),
  detail: anyRecord,
});

export const CaseExportSchema = z
  .object({
    format: z.literal('gumshoe-case-export'),
    schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
    exportedAt: time,
    case: z.object({
      name: z.string(),
      examiner: z.string().nullable(),
      caseNumber: z.string().nullable(),
      requester: z.string().nullable(),
      scope: z.string().nullable(),
      summary: z.string().nullable().describe('Executive summary written by the analyst'),
      conclusions: z.string().nullable(),
      events: z.number().int(),
      from: time.nullable(),
      to: time.nullable(),
    }),
    tool: z.object({ name: z.literal('gumshoe'), version: z.string(), node: z.string(), platform: z.string() }),
    model: anyRecord.nullable().describe('Model version, architecture and training metrics; null when no model was trained'),
    config: z.object({ hunt: anyRecord.nullable() }),
    evidence: z.array(EvidenceSchema),
    method: z.object({ summary: z.string(), steps: z.array(z.string()), limitations: z.array(z.string()) }),
    metrics: z.object({ hunt: anyRecord.nullable(), model: anyRecord.nullable() }),
    incidents: z.array(IncidentSchema).describe('Incidents, riskiest first: what the case is about'),
    findings: z.array(FindingSchema).describe('Every finding, riskiest first, including those inside incidents'),
    indicators: z.array(IndicatorSchema).describe('Accounts, addresses, images and objects of the medium, high and critical incidents not triaged benign'),
    marks: z.array(MarkSchema).describe('Events the analyst starred, tagged or commented'),
    events: z.array(CitedEventSchema).describe('Every event an incident, finding, reason or mark cites, once each'),
    notes: z.array(NoteSchema).describe('All notes, including those on findings a later hunt no longer produced'),
    journal: z.array(JournalSchema),
    allEvents: z
      .array(CitedEventSchema)
      .optional()
      .describe('Only with the all-events option: every event of the case in time order, written last and streamed'),
  })
  .meta({ title: 'Gumshoe case export', description: 'Incidents, findings, explanations and the original events behind them, with evidence hashes re-verified at export.' });

export type CaseExport = z.infer<typeof CaseExportSchema>;
export type ExportFinding = z.infer<typeof FindingSchema>;
export type ExportIncident = z.infer<typeof IncidentSchema>;
export type ExportMark = z.infer<typeof MarkSchema>;
export type ExportEvent = z.infer<typeof CitedEventSchema>;
export type ExportEvidence = z.infer<typeof EvidenceSchema>;

/** The JSON Schema committed as docs/case-export.schema.json. */
export function caseExportJsonSchema(): Record<string, unknown> {
  return { $id: `https://gumshoe.invalid/case-export/v${EXPORT_SCHEMA_VERSION}.schema.json`, ...z.toJSONSchema(CaseExportSchema) } as Record<string, unknown>;
}
