import type { Finding } from '../hunt/types.ts';
import { usToRfc3339 } from '../hunt/time.ts';
import type { JournalEntry } from '../store/journal.ts';
import type { Note } from '../store/notes.ts';
import { CaseExportSchema, EXPORT_SCHEMA_VERSION, type CaseExport, type ExportEvidence } from './schema.ts';

export interface CitedEventInput {
  auditID: string;
  timeUs: number;
  evidencePath: string | null;
  line: number | null;
  record: number | null;
  raw: string | null;
}

export interface ExportInput {
  caseName: string;
  examiner: string | null;
  events: number;
  fromUs: number | null;
  toUs: number | null;
  toolVersion: string;
  model: Record<string, unknown> | null;
  modelMetrics: Record<string, unknown> | null;
  huntConfig: Record<string, unknown> | null;
  huntMetrics: Record<string, unknown> | null;
  evidence: ExportEvidence[];
  findings: Finding[];
  citedEvents: CitedEventInput[];
  notes: Note[];
  journal: JournalEntry[];
  exportedAt: Date;
}

/** Every auditID a finding or one of its reasons cites, first-cited first. */
export function citedAuditIDs(findings: Finding[]): string[] {
  const ids = new Set<string>();
  for (const f of findings) {
    for (const id of f.auditIDs) ids.add(id);
    for (const r of f.reasons) for (const id of r.auditIDs) ids.add(id);
  }
  return [...ids];
}

export function methodOf(huntConfig: Record<string, unknown> | null): CaseExport['method'] {
  const c = huntConfig ?? {};
  return {
    summary:
      'Audit events were read without altering the evidence, grouped into sessions, embedded by a graph neural network trained on the case itself, scored by an Isolation Forest, and correlated with rule hits into findings. Every claim cites original events.',
    steps: [
      'Ingest: every evidence file hashed (SHA-256) at acquisition; records decoded and normalized; events deduplicated by auditID and stage.',
      `Sessions: events grouped into session graphs (nodes: source IP, user group, request object, resource, decision).`,
      'Model: 3-layer GCN trained to predict each session\'s verbs; the pooled vector is the session embedding.',
      `Anomaly scoring: Isolation Forest over ${String(c.mode ?? 'embedding')} features; the top ${String(c.contamination ?? '?')} share of sessions flagged.`,
      'Explanations: verbs, size against same-verb sessions, entities first seen in the case, rare user→resource and user→IP pairs, nearest normal sessions, node occlusion where a model was available.',
      'Rules: built-in ATT&CK-tagged rules; hits of one rule by one actor within 10 minutes grouped; rule groups inside anomalous sessions joined into correlated findings (risk: noisy-OR).',
    ],
    limitations: [
      'Anomalies are unusual, not necessarily malicious: a new legitimate process is anomalous too.',
      'The model is trained on the case itself: activity that dominates the case looks normal.',
      'First-seen novelty is relative to the evidence provided; the first 10% of the time span is treated as baseline.',
      'Fields a source format cannot carry (e.g. user groups in GKE exports) are missing, not empty.',
      'Archive members are verified through their container\'s hash, not individually.',
    ],
  };
}

/** Assemble the export and validate it against the schema: an export that does not conform is a bug, not a file. */
export function buildCaseExport(input: ExportInput): CaseExport {
  const notesBy = new Map<string, Note[]>();
  for (const n of input.notes) notesBy.set(n.findingId, [...(notesBy.get(n.findingId) ?? []), n]);
  const exp: CaseExport = {
    format: 'gumshoe-case-export',
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: input.exportedAt.toISOString(),
    case: {
      name: input.caseName,
      examiner: input.examiner,
      events: input.events,
      from: input.fromUs === null ? null : usToRfc3339(input.fromUs),
      to: input.toUs === null ? null : usToRfc3339(input.toUs),
    },
    tool: { name: 'gumshoe', version: input.toolVersion, node: process.version, platform: `${process.platform}-${process.arch}` },
    model: input.model,
    config: { hunt: input.huntConfig },
    evidence: input.evidence,
    method: methodOf(input.huntConfig),
    metrics: { hunt: input.huntMetrics, model: input.modelMetrics },
    findings: input.findings.map((f) => ({
      id: f.id,
      kind: f.kind,
      title: f.title,
      start: f.start,
      end: f.end,
      score: f.score,
      severity: f.severity,
      techniques: f.techniques,
      users: f.users,
      sourceIPs: f.sourceIPs,
      auditIDs: f.auditIDs,
      ruleIds: f.ruleIds,
      sessionId: f.sessionId,
      triage: f.triage ?? 'new',
      reasons: f.reasons,
      notes: notesBy.get(f.id) ?? [],
    })),
    events: input.citedEvents.map((e) => ({ auditID: e.auditID, time: usToRfc3339(e.timeUs), evidencePath: e.evidencePath, line: e.line, record: e.record, raw: e.raw })),
    notes: input.notes,
    journal: input.journal,
  };
  return CaseExportSchema.parse(exp);
}
