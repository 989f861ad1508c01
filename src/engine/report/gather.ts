import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Db } from '../store/db.ts';
import { getCaseMeta } from '../store/case-meta.ts';
import { getEventsByAuditIDs, getRawRecords } from '../store/events-read.ts';
import { latestHuntRun, listFindings } from '../store/findings.ts';
import { listIncidents } from '../store/incidents.ts';
import { listJournal } from '../store/journal.ts';
import { listMarks } from '../store/marks.ts';
import { listNotes } from '../store/notes.ts';
import { caseSummary } from '../store/summary.ts';
import { buildCaseExport, citedAuditIDs, type CitedEventInput } from './build.ts';
import type { CaseExport, ExportMark } from './schema.ts';
import { indicatorsOf } from './indicators.ts';
import { verifiedInventory } from './verify.ts';
import { modelSummary } from '../hunt/model-link.ts';

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export interface GatherOptions {
  /** Overrides the case's examiner (case-meta) for this export; absent: the case's. */
  examiner?: string | null;
  now?: () => Date;
}

/** Read everything the export holds from the case store, re-verifying evidence hashes on the way. */
export async function gatherCaseExport(db: Db, caseDir: string, options: GatherOptions = {}): Promise<CaseExport> {
  const now = options.now ?? (() => new Date());
  const summary = caseSummary(db, { top: 1, errors: 0 });
  const findings = listFindings(db);
  const incidents = listIncidents(db);
  const { examiner, ...meta } = getCaseMeta(db);
  // Oldest first in the report: marks read as the analyst's notebook.
  const marks: ExportMark[] = listMarks(db)
    .map((m) => ({ auditID: m.auditID, starred: m.starred, tags: m.tags, comment: m.comment, author: m.author, updatedAt: m.updatedAt }))
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.auditID.localeCompare(b.auditID));
  const run = latestHuntRun(db);
  const model = modelSummary(db);
  const ids = citedAuditIDs(findings, incidents, marks);
  const raws = getRawRecords(db, ids);
  const events = getEventsByAuditIDs(db, ids);
  const cited: CitedEventInput[] = events.map((e) => ({
    auditID: e.auditID,
    timeUs: e.timeUs,
    evidencePath: e.origin.path,
    line: e.origin.line,
    record: e.origin.record,
    raw: raws.get(e.auditID) ?? null,
  }));
  const evidence = await verifiedInventory(db, now);
  return buildCaseExport({
    caseName: basename(resolve(caseDir)),
    examiner: options.examiner === undefined || options.examiner === null ? examiner : options.examiner,
    meta,
    events: summary.events,
    fromUs: summary.fromUs,
    toUs: summary.toUs,
    toolVersion: toolVersion(),
    model: model?.model ?? null,
    modelMetrics: model?.metrics ?? null,
    huntConfig: run?.config ?? null,
    huntMetrics: run?.metrics ?? null,
    evidence,
    incidents,
    findings,
    marks,
    indicators: indicatorsOf(incidents, new Map(events.map((e) => [e.auditID, e]))),
    citedEvents: cited,
    notes: listNotes(db),
    journal: listJournal(db),
    exportedAt: now(),
  });
}
