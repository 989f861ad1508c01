import type { ExportFormat, JobInfo } from '../../../shared/contract.ts';

export type { ExportFormat };

export interface ExportChoice {
  format: ExportFormat;
  /** What the select shows: what the file is and which tool reads it. */
  label: string;
  /** The file name the save dialog and the path box start from. */
  defaultName: string;
}

/** Every format export.start writes, in the order an analyst reaches for them (docs/report.md). */
export const EXPORT_CHOICES: readonly ExportChoice[] = [
  { format: 'pdf', label: 'PDF report', defaultName: 'report.pdf' },
  { format: 'json', label: 'JSON case export', defaultName: 'case.json' },
  { format: 'timesketch', label: 'Timeline, Timesketch JSON lines', defaultName: 'timeline.jsonl' },
  { format: 'csv', label: 'Timeline, CSV', defaultName: 'timeline.csv' },
  { format: 'stix', label: 'Incidents, STIX 2.1 bundle', defaultName: 'incidents.stix.json' },
  { format: 'navigator', label: 'Techniques, ATT&CK Navigator layer', defaultName: 'attack-layer.json' },
];

const byFormat = new Map(EXPORT_CHOICES.map((c) => [c.format, c]));

/**
 * The path box follows the format while it still holds a name this module chose (empty, or the
 * default of another format, in whatever folder): a path the analyst typed is never rewritten.
 */
export function pathForFormat(path: string, format: ExportFormat): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dir = path.slice(0, cut + 1);
  const name = path.slice(cut + 1);
  if (name !== '' && !EXPORT_CHOICES.some((c) => c.defaultName === name)) return path;
  return dir === '' && name === '' ? '' : `${dir}${byFormat.get(format)!.defaultName}`;
}

/** What the export panel says about its job, from the job events the jobs bar shows too. */
export type ExportStatus =
  | { kind: 'idle' }
  | { kind: 'running'; stage: string; detail: string | null; done: number; total: number | null }
  | { kind: 'done'; path: string; bytes: number | null; sha256: string | null }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

export function exportStatus(job: JobInfo | undefined, path: string): ExportStatus {
  if (!job) return { kind: 'idle' };
  if (job.state === 'done') {
    // The worker's own answer names the file it wrote, its size and its SHA-256 (JobInfo.result).
    const r = job.result?.kind === 'export' ? job.result : null;
    return { kind: 'done', path: r?.path ?? path, bytes: r?.bytes ?? null, sha256: r?.sha256 ?? null };
  }
  if (job.state === 'cancelled') return { kind: 'cancelled' };
  if (job.state === 'failed') return { kind: 'failed', message: job.error?.message ?? 'The export failed.' };
  const p = job.progress;
  // Before the worker's first progress event the job is already running: say it is starting.
  return { kind: 'running', stage: p?.stage ?? 'starting', detail: p?.detail ?? null, done: p?.done ?? 0, total: p?.total ?? null };
}
