import { describe, expect, it } from 'vitest';
import { baseName, describeJobResult } from '../../../src/renderer/src/state/job-results.ts';
import { formatBytes } from '../../../src/shared/format.ts';

describe('job results in words', () => {
  it('sizes files in decimal units, as file managers do', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(formatBytes(45_600)).toBe('46 kB');
    expect(formatBytes(3_000_000_000)).toBe('3.0 GB');
  });

  it('names a file by its last part whichever separator the path uses', () => {
    expect(baseName('/cases/acme/report.pdf')).toBe('report.pdf');
    expect(baseName('C:\\cases\\report.pdf')).toBe('report.pdf');
    expect(baseName('report.pdf')).toBe('report.pdf');
  });

  it('says what each kind of job made', () => {
    const sha256 = '0123456789abcdef'.repeat(4);
    expect(describeJobResult({ kind: 'export', format: 'pdf', path: '/x/report.pdf', bytes: 1_234_567, sha256 })).toBe('Saved report.pdf · 1.2 MB · sha256 0123456789ab…');
    expect(describeJobResult({ kind: 'ingest', files: 3, events: 672_014, duplicates: 0, skippedLines: 2, unchangedFiles: 0 })).toBe('3 files · 672,014 new events · 2 lines skipped');
    expect(describeJobResult({ kind: 'ingest', files: 1, events: 0, duplicates: 0, skippedLines: 1, unchangedFiles: 2 })).toBe('1 file · 0 new events · 1 line skipped · 2 files already in the case');
    expect(describeJobResult({ kind: 'hunt', findings: 37, incidents: 1 })).toBe('37 findings · 1 incident');
    expect(describeJobResult({ kind: 'train', backend: 'wasm', epochs: 3, validationF1: 0.8412, sessions: 120 })).toBe('wasm · 3 epochs · validation F1 0.841');
    expect(describeJobResult({ kind: 'analyse', backend: 'cpu', epochs: 1, validationF1: null, sessions: 5, findings: 2, incidents: 0 })).toBe(
      '5 sessions · cpu, 1 epoch, no validation F1 · 2 findings · 0 incidents',
    );
  });
});
