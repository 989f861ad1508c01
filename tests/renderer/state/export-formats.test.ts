import { describe, expect, it } from 'vitest';
import { calls, type JobInfo } from '../../../src/shared/contract.ts';
import { EXPORT_CHOICES, exportStatus, pathForFormat } from '../../../src/renderer/src/state/export-formats.ts';

const job = (over: Partial<JobInfo>): JobInfo => ({ id: 'j1', kind: 'export', state: 'running', progress: null, error: null, startedAt: '2024-05-01T10:00:00Z', finishedAt: null, result: null, ...over });

describe('export formats offered in Case & export', () => {
  it('offers every format export.start accepts, once each, each with its own file name', () => {
    const accepted = calls['export.start'].shape.format.options;
    expect(EXPORT_CHOICES.map((c) => c.format).sort()).toEqual([...accepted].sort());
    expect(new Set(EXPORT_CHOICES.map((c) => c.defaultName)).size).toBe(EXPORT_CHOICES.length);
  });

  it('moves a chosen default name to the new format, keeping its folder', () => {
    expect(pathForFormat('/cases/acme/report.pdf', 'stix')).toBe('/cases/acme/incidents.stix.json');
    expect(pathForFormat('/cases/acme/incidents.stix.json', 'csv')).toBe('/cases/acme/timeline.csv');
    expect(pathForFormat('C:\\cases\\report.pdf', 'timesketch')).toBe('C:\\cases\\timeline.jsonl');
    expect(pathForFormat('/cases/acme/', 'navigator')).toBe('/cases/acme/attack-layer.json');
  });

  it('never rewrites a name the analyst typed, and leaves an empty box empty', () => {
    expect(pathForFormat('/cases/acme/for-legal.pdf', 'json')).toBe('/cases/acme/for-legal.pdf');
    expect(pathForFormat('', 'csv')).toBe('');
  });
});

describe('export status from the job events', () => {
  it('is idle before any export', () => {
    expect(exportStatus(undefined, '/x/report.pdf')).toEqual({ kind: 'idle' });
  });

  it('says the stage and counts while running, starting before the first progress', () => {
    expect(exportStatus(job({}), '/x/report.pdf')).toEqual({ kind: 'running', stage: 'starting', detail: null, done: 0, total: null });
    const p = { stage: 'timeline', done: 2500, total: 10_000, unit: 'events', rate: 900, etaS: 8 };
    expect(exportStatus(job({ progress: p }), '/x/t.csv')).toEqual({ kind: 'running', stage: 'timeline', detail: null, done: 2500, total: 10_000 });
    const pdf = { stage: 'pdf', done: 0, total: null, unit: 'pages', rate: 0, etaS: null, detail: 'Drawing the report' };
    expect(exportStatus(job({ progress: pdf }), '/x/report.pdf')).toMatchObject({ kind: 'running', detail: 'Drawing the report' });
  });

  it('names the written file with its size and SHA-256 when done, and the reason when it failed', () => {
    const sha256 = 'ab12'.repeat(16);
    const result = { kind: 'export' as const, format: 'pdf' as const, path: '/x/report.pdf', bytes: 1_234_567, sha256 };
    expect(exportStatus(job({ state: 'done', finishedAt: '2024-05-01T10:01:00Z', result }), '/x/report.pdf')).toEqual({ kind: 'done', path: '/x/report.pdf', bytes: 1_234_567, sha256 });
    // A done job without a result (none reported) still names the path the analyst gave.
    expect(exportStatus(job({ state: 'done', finishedAt: '2024-05-01T10:01:00Z' }), '/x/report.pdf')).toEqual({ kind: 'done', path: '/x/report.pdf', bytes: null, sha256: null });
    expect(exportStatus(job({ state: 'failed', error: { code: 'user', message: 'disk full' } }), '/x/report.pdf')).toEqual({ kind: 'failed', message: 'disk full' });
    expect(exportStatus(job({ state: 'cancelled' }), '/x/report.pdf')).toEqual({ kind: 'cancelled' });
  });
});
