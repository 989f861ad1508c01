import type { AuditEvent } from '../../shared/domain.ts';
import type { HuntGraph } from '../hunt/types.ts';
import type { Db } from '../store/db.ts';
import { getEventsByAuditIDs, iterateEvents } from '../store/events-read.ts';
import { eventTimeline } from '../store/findings.ts';
import { appendJournal } from '../store/journal.ts';
import { getSessionGraph } from '../store/sessions.ts';
import { ProgressMeter, type ProgressFn } from '../util/progress.ts';
import { gatherCaseExport, type GatherOptions } from './gather.ts';
import { navigatorLayer } from './handoff/navigator.ts';
import { stixBundle } from './handoff/stix.ts';
import { csvHeader, csvLine, timelineRow, timesketchLine, type TimelineContext } from './handoff/timeline.ts';
import { eventsWithRaw, writeCaseJson } from './json-stream.ts';
import { DEFAULT_TOP_FINDINGS, renderCasePdf } from './pdf/render.ts';
import type { CaseExport } from './schema.ts';
import { HashingFileSink, writeHashed, type WrittenFile } from './sink.ts';

export type ExportKind = 'json' | 'pdf' | 'timesketch' | 'csv' | 'stix' | 'navigator';

export interface ExportOptions extends GatherOptions {
  jsonPath?: string;
  pdfPath?: string;
  /** The full timeline as Timesketch JSON lines. */
  timesketchPath?: string;
  /** The full timeline as CSV (RFC 4180, Timesketch's columns). */
  csvPath?: string;
  /** Incidents as a STIX 2.1 bundle. */
  stixPath?: string;
  /** Techniques seen as an ATT&CK Navigator layer. */
  navigatorPath?: string;
  /** Every event of the case in the JSON export (streamed), not only the cited ones. */
  allEvents?: boolean;
  /** Findings with a page of their own in the PDF (every incident always has its section). */
  top?: number;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export interface ExportedFile extends WrittenFile {
  kind: ExportKind;
  /** Wall time spent writing this file (the shared timeline pass is split between its two files). */
  ms: number;
}

export interface ExportResult {
  export: CaseExport;
  /** Written files and their SHA-256, as journaled: the report's own chain of custody. */
  files: ExportedFile[];
}

/**
 * Export the case to any of the formats, and journal the export with the examiner and the hashes
 * of what was written. Files are streamed through a hashing sink: the timeline and the all-events
 * JSON never hold the case in memory.
 */
export async function exportCase(db: Db, caseDir: string, options: ExportOptions): Promise<ExportResult> {
  const progress = options.onProgress;
  progress?.({ stage: 'verify', done: 0, total: null, unit: 'items', rate: 0, etaS: null, detail: 'Re-hashing evidence' });
  const exp = await gatherCaseExport(db, caseDir, options);
  const files: ExportedFile[] = [];
  const timed = (kind: ExportKind, write: () => WrittenFile): void => {
    options.signal?.throwIfAborted();
    const t0 = performance.now();
    const f = write();
    files.push({ ...f, kind, ms: Math.round(performance.now() - t0) });
  };
  const total = exp.case.events;
  if (options.jsonPath) {
    const meter = new ProgressMeter('json', 'events', progress);
    const all = options.allEvents ? eventsWithRaw(db, (n) => (n % 1000 === 0 ? (options.signal?.throwIfAborted(), meter.update(n, total)) : undefined)) : null;
    timed('json', () => writeHashed(options.jsonPath!, (s) => writeCaseJson(s, exp, all)));
  }
  if (options.timesketchPath || options.csvPath) writeTimelines(db, exp, options, files);
  if (options.stixPath) timed('stix', () => writeHashed(options.stixPath!, (s) => s.write(`${JSON.stringify(stixBundle(exp), null, 2)}\n`)));
  if (options.navigatorPath) timed('navigator', () => writeHashed(options.navigatorPath!, (s) => s.write(`${JSON.stringify(navigatorLayer(exp), null, 2)}\n`)));
  if (options.pdfPath) {
    progress?.({ stage: 'pdf', done: 0, total: null, unit: 'pages', rate: 0, etaS: null, detail: 'Drawing the report' });
    const t0 = performance.now();
    const pdf = await renderCasePdf(pdfInputs(db, exp, options.top ?? DEFAULT_TOP_FINDINGS));
    const f = writeHashed(options.pdfPath, (s) => s.write(pdf));
    files.push({ ...f, kind: 'pdf', ms: Math.round(performance.now() - t0) });
  }
  appendJournal(db, {
    action: 'export',
    actor: exp.case.examiner,
    detail: {
      files: files.map(({ path, kind, sha256, bytes }) => ({ path, kind, sha256, bytes })),
      incidents: exp.incidents.length,
      findings: exp.findings.length,
      allEvents: options.allEvents === true,
      schemaVersion: exp.schemaVersion,
    },
  });
  return { export: exp, files };
}

/** Timesketch JSON lines and CSV in one pass over the case's events, each file hashed as written. */
function writeTimelines(db: Db, exp: CaseExport, options: ExportOptions, files: ExportedFile[]): void {
  const ctx = timelineContext(exp);
  const jsonl = options.timesketchPath ? new HashingFileSink(options.timesketchPath) : null;
  const csv = options.csvPath ? new HashingFileSink(options.csvPath) : null;
  const meter = new ProgressMeter('timeline', 'events', options.onProgress);
  const t0 = performance.now();
  try {
    csv?.write(csvHeader());
    let n = 0;
    for (const e of iterateEvents(db)) {
      const row = timelineRow(e, ctx);
      jsonl?.write(timesketchLine(row));
      csv?.write(csvLine(row));
      if (++n % 1000 === 0) {
        options.signal?.throwIfAborted();
        meter.update(n, exp.case.events);
      }
    }
  } catch (err) {
    jsonl?.abort();
    csv?.abort();
    throw err;
  }
  const ms = Math.round((performance.now() - t0) / ((jsonl ? 1 : 0) + (csv ? 1 : 0)));
  if (jsonl) files.push({ ...jsonl.close(), kind: 'timesketch', ms });
  if (csv) files.push({ ...csv.close(), kind: 'csv', ms });
}

/** Which incidents cite an event, and the analyst's tags and star on it, for the timeline rows. */
export function timelineContext(exp: CaseExport): TimelineContext {
  const incidents = new Map<string, string[]>();
  for (const i of exp.incidents) for (const id of new Set([...i.auditIDs, ...i.storyline.map((s) => s.auditID)])) incidents.set(id, [...(incidents.get(id) ?? []), i.id]);
  const tags = new Map(exp.marks.map((m) => [m.auditID, [...(m.starred ? ['starred'] : []), ...m.tags]]));
  return { incidentsOf: (id) => incidents.get(id) ?? [], tagsOf: (id) => tags.get(id) ?? [] };
}

/** What the PDF draws beyond the export: the activity timeline, session graphs and the events incidents, top findings and marks cite. */
export function pdfInputs(db: Db, exp: CaseExport, top: number): Parameters<typeof renderCasePdf>[0] {
  const graphs = new Map<string, HuntGraph>();
  const ids = new Set<string>();
  for (const f of exp.findings.slice(0, top)) {
    if (f.sessionId !== undefined) {
      const g = getSessionGraph(db, f.sessionId);
      if (g) graphs.set(f.id, g);
    }
    for (const id of [...new Set([...f.reasons.flatMap((r) => r.auditIDs), ...f.auditIDs])].slice(0, 200)) ids.add(id);
  }
  for (const m of exp.marks) ids.add(m.auditID);
  const events = new Map<string, AuditEvent>();
  for (const e of getEventsByAuditIDs(db, [...ids])) events.set(e.auditID, e);
  return { export: exp, timeline: eventTimeline(db), graphs, events, top };
}
