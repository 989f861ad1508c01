import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Db } from '../store/db.ts';
import { getEventsByAuditIDs, getRawRecords } from '../store/events-read.ts';
import { latestHuntRun, listFindings } from '../store/findings.ts';
import { listJournal } from '../store/journal.ts';
import { listNotes } from '../store/notes.ts';
import { caseSummary } from '../store/summary.ts';
import { buildCaseExport, citedAuditIDs, type CitedEventInput } from './build.ts';
import type { CaseExport } from './schema.ts';
import { verifiedInventory } from './verify.ts';
import { modelSummary } from '../hunt/model-link.ts';

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export interface GatherOptions {
  examiner?: string | null;
  now?: () => Date;
}

/** Read everything the export holds from the case store, re-verifying evidence hashes on the way. */
export async function gatherCaseExport(db: Db, caseDir: string, options: GatherOptions = {}): Promise<CaseExport> {
  const now = options.now ?? (() => new Date());
  const summary = caseSummary(db, { top: 1, errors: 0 });
  const findings = listFindings(db);
  const run = latestHuntRun(db);
  const model = modelSummary(db);
  const ids = citedAuditIDs(findings);
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
    examiner: options.examiner ?? null,
    events: summary.events,
    fromUs: summary.fromUs,
    toUs: summary.toUs,
    toolVersion: toolVersion(),
    model: model?.model ?? null,
    modelMetrics: model?.metrics ?? null,
    huntConfig: run?.config ?? null,
    huntMetrics: run?.metrics ?? null,
    evidence,
    findings,
    citedEvents: cited,
    notes: listNotes(db),
    journal: listJournal(db),
    exportedAt: now(),
  });
}
