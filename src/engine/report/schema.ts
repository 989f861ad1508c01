import { z } from 'zod';

/**
 * The case export, version 1. Bump EXPORT_SCHEMA_VERSION on any change a consumer could notice,
 * and regenerate docs/case-export.schema.json (a test fails until the committed file matches).
 */
export const EXPORT_SCHEMA_VERSION = 1;

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
  action: z.enum(['hunt', 'triage', 'note', 'export']),
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
    findings: z.array(FindingSchema),
    events: z.array(CitedEventSchema).describe('Every event a finding or reason cites, once each'),
    notes: z.array(NoteSchema).describe('All notes, including those on findings a later hunt no longer produced'),
    journal: z.array(JournalSchema),
  })
  .meta({ title: 'Gumshoe case export', description: 'Findings, explanations and the original events behind them, with evidence hashes re-verified at export.' });

export type CaseExport = z.infer<typeof CaseExportSchema>;
export type ExportFinding = z.infer<typeof FindingSchema>;
export type ExportEvidence = z.infer<typeof EvidenceSchema>;

/** The JSON Schema committed as docs/case-export.schema.json. */
export function caseExportJsonSchema(): Record<string, unknown> {
  return { $id: `https://gumshoe.invalid/case-export/v${EXPORT_SCHEMA_VERSION}.schema.json`, ...z.toJSONSchema(CaseExportSchema) } as Record<string, unknown>;
}
