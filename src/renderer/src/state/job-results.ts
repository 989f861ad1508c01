import type { JobResult } from '../../../shared/contract.ts';
import { formatBytes } from '../../../shared/format.ts';

/** A path's last part, either separator: the panel names the file, the full path is beside it. */
export const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

const n = (v: number, one: string, many = `${one}s`): string => `${v.toLocaleString('en-US')} ${v === 1 ? one : many}`;
const f1 = (v: number | null): string => (v === null ? 'no validation F1' : `validation F1 ${v.toFixed(3)}`);

/** What a done job made, in one line for the jobs bar. The export's full hash is shown apart, selectable. */
export function describeJobResult(r: JobResult): string {
  switch (r.kind) {
    case 'ingest':
      return [`${n(r.files, 'file')}`, `${n(r.events, 'new event')}`, `${n(r.skippedLines, 'line')} skipped`, ...(r.unchangedFiles ? [`${n(r.unchangedFiles, 'file')} already in the case`] : [])].join(' · ');
    case 'sessions':
      return `${n(r.sessions, 'session')} from ${n(r.events, 'event')}`;
    case 'train':
      return `${r.backend} · ${n(r.epochs, 'epoch')} · ${f1(r.validationF1)}`;
    case 'hunt':
      return `${n(r.findings, 'finding')} · ${n(r.incidents, 'incident')}`;
    case 'analyse':
      return `${n(r.sessions, 'session')} · ${r.backend}, ${n(r.epochs, 'epoch')}, ${f1(r.validationF1)} · ${n(r.findings, 'finding')} · ${n(r.incidents, 'incident')}`;
    case 'export':
      return `Saved ${baseName(r.path)} · ${formatBytes(r.bytes)} · sha256 ${r.sha256.slice(0, 12)}…`;
  }
}
