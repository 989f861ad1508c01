import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { AuditEvent } from '../../shared/domain.ts';
import type { SessionGraph } from '../hunt/types.ts';
import type { Db } from '../store/db.ts';
import { getEventsByAuditIDs } from '../store/events-read.ts';
import { eventTimeline } from '../store/findings.ts';
import { appendJournal } from '../store/journal.ts';
import { getSessionGraph } from '../store/sessions.ts';
import { gatherCaseExport, type GatherOptions } from './gather.ts';
import { DEFAULT_TOP_FINDINGS, renderCasePdf } from './pdf/render.ts';
import type { CaseExport } from './schema.ts';

export interface ExportOptions extends GatherOptions {
  jsonPath?: string;
  pdfPath?: string;
  /** Findings with a page of their own in the PDF. */
  top?: number;
}

export interface ExportResult {
  export: CaseExport;
  /** Written files and their SHA-256, as journaled: the report's own chain of custody. */
  files: { path: string; kind: 'json' | 'pdf'; sha256: string; bytes: number }[];
}

/** Export the case to JSON and/or PDF, and journal the export with the hashes of what was written. */
export async function exportCase(db: Db, caseDir: string, options: ExportOptions): Promise<ExportResult> {
  const exp = await gatherCaseExport(db, caseDir, options);
  const files: ExportResult['files'] = [];
  const write = (path: string, kind: 'json' | 'pdf', data: Buffer): void => {
    writeFileSync(path, data);
    files.push({ path, kind, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length });
  };
  if (options.jsonPath) write(options.jsonPath, 'json', Buffer.from(`${JSON.stringify(exp, null, 2)}\n`));
  if (options.pdfPath) write(options.pdfPath, 'pdf', await renderCasePdf(pdfInputs(db, exp, options.top ?? DEFAULT_TOP_FINDINGS)));
  appendJournal(db, { action: 'export', actor: options.examiner ?? null, detail: { files, findings: exp.findings.length, schemaVersion: exp.schemaVersion } });
  return { export: exp, files };
}

/** What the PDF draws beyond the export: the activity timeline, session graphs and key events of the top findings. */
export function pdfInputs(db: Db, exp: CaseExport, top: number): Parameters<typeof renderCasePdf>[0] {
  const graphs = new Map<string, SessionGraph>();
  const events = new Map<string, AuditEvent>();
  for (const f of exp.findings.slice(0, top)) {
    if (f.sessionId !== undefined) {
      const g = getSessionGraph(db, f.sessionId);
      if (g) graphs.set(f.id, g);
    }
    const ids = [...new Set([...f.reasons.flatMap((r) => r.auditIDs), ...f.auditIDs])].slice(0, 200);
    for (const e of getEventsByAuditIDs(db, ids)) events.set(e.auditID, e);
  }
  return { export: exp, timeline: eventTimeline(db), graphs, events, top };
}
