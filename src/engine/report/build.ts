import type { Finding } from '../hunt/types.ts';
import type { StoredIncident } from '../store/incidents.ts';
import type { Indicator } from './indicators.ts';
import { usToRfc3339 } from '../hunt/time.ts';
import type { JournalEntry } from '../store/journal.ts';
import type { Note } from '../store/notes.ts';
import { CaseExportSchema, EXPORT_SCHEMA_VERSION, type CaseExport, type ExportEvidence, type ExportIncident, type ExportMark } from './schema.ts';

export interface CitedEventInput {
  auditID: string;
  timeUs: number;
  evidencePath: string | null;
  line: number | null;
  record: number | null;
  raw: string | null;
}

/** What the analyst wrote about the case as a whole (store/case-meta.ts); null fields are unset. */
export interface CaseMetaInput {
  caseNumber: string | null;
  requester: string | null;
  scope: string | null;
  summary: string | null;
  conclusions: string | null;
}

export const NO_CASE_META: CaseMetaInput = { caseNumber: null, requester: null, scope: null, summary: null, conclusions: null };

export interface ExportInput {
  caseName: string;
  examiner: string | null;
  meta?: CaseMetaInput;
  /** Ranked, rank 1 first. */
  incidents?: StoredIncident[];
  marks?: ExportMark[];
  indicators?: Indicator[];
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

/** Every auditID an incident, finding, reason or mark cites, first-cited first. */
export function citedAuditIDs(findings: Finding[], incidents: readonly StoredIncident[] = [], marks: readonly ExportMark[] = []): string[] {
  const ids = new Set<string>();
  for (const i of incidents) {
    for (const id of i.auditIDs) ids.add(id);
    for (const s of i.storyline) ids.add(s.auditID);
    for (const l of i.links) for (const id of l.auditIDs) ids.add(id);
    for (const r of i.reasons) for (const id of r.auditIDs) ids.add(id);
  }
  for (const m of marks) ids.add(m.auditID);
  for (const f of findings) {
    for (const id of f.auditIDs) ids.add(id);
    for (const r of f.reasons) for (const id of r.auditIDs) ids.add(id);
  }
  return [...ids];
}

export function methodOf(huntConfig: Record<string, unknown> | null): CaseExport['method'] {
  const preset = typeof huntConfig?.preset === 'string' ? huntConfig.preset : null;
  return {
    summary:
      'Gumshoe read the audit logs without changing them and hashed every file as it read it. It grouped the requests into sessions of activity, learned from this case what sessions usually look like, and flagged the sessions least like the rest. Built-in rules, each tied to MITRE ATT&CK techniques, marked behaviour attackers are known for. What one actor did in one episode, and what is tied to it by a shared address, a token or a role grant, was joined into an incident with a storyline of its key events. Every statement in this report cites the original events, which are kept as they were read.',
    steps: [
      'Evidence: every file and archive member was hashed (SHA-256) when read and hashed again when this report was produced; the two are compared in the evidence inventory.',
      'Events: each log record was decoded into one event; a request logged at several stages counts once.',
      `Sessions: requests were grouped into sessions${preset === 'seed' ? ' of one minute of the whole cluster' : preset ? ` by actor (preset ${preset})` : ''}; each session is a small graph of who acted, from where, on what, with what result.`,
      'Model: a graph neural network trained on this case alone turned each session into a vector; an Isolation Forest scored how unusual each vector is, and the most unusual share of sessions was flagged.',
      'Explanations: each flagged session says why: its verbs, its size against similar sessions, addresses, accounts, agents and objects first seen in the case, rare account-to-resource pairs, and its nearest normal sessions.',
      'Rules: built-in rules tied to ATT&CK techniques marked known attacker behaviour; repeated hits of one rule by one actor count as one finding.',
      'Incidents: findings of one actor in one episode, and of actors tied to it by an address, a token or a role grant, became one incident; its actors are exactly those whose events it cites.',
      'Ranking: each incident and finding has a risk from 0 to 1 and a severity; the analyst\'s triage and notes are recorded, with their author and time, in an append-only journal.',
    ],
    limitations: [
      'Unusual is not malicious: a new legitimate process is unusual too. Every incident needs an analyst\'s judgement, shown by its triage state.',
      'The model is trained on the case itself: activity that dominates the case looks normal, and an attacker present from the first minute looks less new.',
      'First-seen novelty is relative to the evidence provided; the first 10% of the time span is treated as a baseline.',
      'Only what the API server logged can be seen: commands typed inside a container after an exec, and anything the audit policy did not record, are not in the evidence.',
      'Fields a source format cannot carry (e.g. user groups in GKE exports) are missing, not empty.',
      'Archive members are hashed as read from their archive; the archive\'s own hash covers them as a whole.',
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
      ...(input.meta ?? NO_CASE_META),
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
    incidents: (input.incidents ?? []).map((i) => exportIncident(i, notesBy)),
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
    indicators: input.indicators ?? [],
    marks: input.marks ?? [],
    events: input.citedEvents.map((e) => ({ auditID: e.auditID, time: usToRfc3339(e.timeUs), evidencePath: e.evidencePath, line: e.line, record: e.record, raw: e.raw })),
    notes: input.notes,
    journal: input.journal,
  };
  return CaseExportSchema.parse(exp);
}

/** An incident as exported: the record, its rank and triage, and the notes on it and on the findings inside. */
function exportIncident(i: StoredIncident, notesBy: Map<string, Note[]>): ExportIncident {
  const notes = [i.id, ...i.findings].flatMap((id) => notesBy.get(id) ?? []).sort((a, b) => a.id - b.id);
  return {
    id: i.id,
    rank: i.rank,
    title: i.title,
    start: i.start,
    end: i.end,
    score: i.score,
    severity: i.severity,
    tactics: i.tactics,
    techniques: i.techniques,
    users: i.users,
    sourceIPs: i.sourceIPs,
    namespaces: i.namespaces,
    objects: i.objects,
    auditIDs: i.auditIDs,
    findings: i.findings,
    links: i.links,
    storyline: i.storyline,
    reasons: i.reasons.map((r) => ({ kind: r.kind, text: r.text, auditIDs: r.auditIDs, ...(r.weight === undefined ? {} : { weight: r.weight }) })),
    triage: i.triage,
    notes,
  };
}
