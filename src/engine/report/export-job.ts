import { z } from 'zod';
import type { Db } from '../store/db.ts';
import type { ProgressFn } from '../util/progress.ts';
import type { ExportKind, ExportOptions, ExportResult } from './export.ts';

/** What an export job or call is given: one format, its target, and the all-events switch. */
export const exportJobParams = z.object({
  format: z.enum(['pdf', 'json', 'timesketch', 'csv', 'stix', 'navigator']),
  path: z.string().min(1),
  allEvents: z.boolean().default(false),
});
export type ExportJobParams = z.infer<typeof exportJobParams>;

const TARGET: Record<ExportKind, keyof ExportOptions> = {
  pdf: 'pdfPath',
  json: 'jsonPath',
  timesketch: 'timesketchPath',
  csv: 'csvPath',
  stix: 'stixPath',
  navigator: 'navigatorPath',
};

/** Export options writing one format to one (already checked) path. */
export function exportOptionsFor(p: ExportJobParams): ExportOptions {
  return { [TARGET[p.format]]: p.path, allEvents: p.format === 'json' && p.allEvents };
}

/**
 * One export in a job worker: the case's own connection, progress per stage, cancellable between
 * rows. The path was confined by the API before the job started (export.start); the worker trusts it.
 */
export async function runExportJob(db: Db, caseDir: string, params: unknown, ctx: { signal: AbortSignal; onProgress: ProgressFn }): Promise<{ path: string; bytes: number; sha256: string }> {
  const p = exportJobParams.parse(params);
  // Loaded when used: the PDF writer costs ~1 s to import, and most jobs never export.
  const { exportCase } = await import('./export.ts');
  const r: ExportResult = await exportCase(db, caseDir, { ...exportOptionsFor(p), signal: ctx.signal, onProgress: ctx.onProgress });
  const f = r.files[0];
  return { path: f.path, bytes: f.bytes, sha256: f.sha256 };
}
