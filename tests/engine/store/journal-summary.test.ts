import { describe, expect, it } from 'vitest';
import { summarize, toJournalItem } from '../../../src/engine/store/journal-summary.ts';
import { formatBytes } from '../../../src/shared/format.ts';
import type { JournalEntry } from '../../../src/engine/store/journal.ts';

const entry = (action: string, detail: Record<string, unknown>, over: Partial<JournalEntry> = {}): JournalEntry =>
  ({ id: 1, at: '2024-05-01T10:00:00.000Z', actor: 'Dana Reyes', action, findingId: null, detail, ...over }) as JournalEntry;

describe('journal entries in one line of words', () => {
  it('sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(formatBytes(987_654)).toBe('988 kB');
  });

  it('says what each stage did, from the detail it journals', () => {
    expect(summarize(entry('ingest', { runId: 1, paths: ['/e/a'], files: 3, events: 672_014, duplicates: 0, recordErrors: 2, unchangedFiles: 0, bytes: 9 }))).toBe(
      'ingested 3 files, 672,014 new events, 2 lines skipped',
    );
    expect(summarize(entry('ingest', { files: 0, events: 0, duplicates: 4, recordErrors: 0, unchangedFiles: 1 }))).toBe(
      'ingested 0 files, 0 new events, 4 duplicate records merged, 0 lines skipped, 1 file already in the case',
    );
    expect(summarize(entry('sessions', { preset: 'actor', windowS: 60, sessions: 1, events: 37 }))).toBe('cut 1 session (actor) from 37 events');
    expect(summarize(entry('train', { preset: 'actor', backend: 'wasm', sessions: 120, epochs: 3, validationF1: 0.84123, imported: false }))).toBe(
      'trained the model on 120 sessions (actor), 3 epochs on wasm, validation F1 0.841',
    );
    expect(summarize(entry('hunt', { runId: 2, preset: 'actor', embeddings: 'trained', findings: 37, incidents: 5 }))).toBe('hunted on actor sessions (trained embeddings): 37 findings, 5 incidents');
  });

  it('names every exported file with its size and the start of its SHA-256', () => {
    const sha = 'ab12cd34ef56'.padEnd(64, '0');
    expect(summarize(entry('export', { files: [{ path: '/x/report.pdf', kind: 'pdf', sha256: sha, bytes: 1_200_000 }], allEvents: false }))).toBe(
      'exported PDF report to /x/report.pdf, 1.2 MB, sha256 ab12cd34ef56…',
    );
    expect(summarize(entry('export', { files: [{ path: '/x/all.json', kind: 'json', sha256: sha, bytes: 10 }], allEvents: true }))).toBe(
      'exported JSON case export to /x/all.json, 10 B, sha256 ab12cd34ef56… (every event)',
    );
  });

  it('words triage, notes, marks and case fields, and cuts long text to one line', () => {
    expect(summarize(entry('triage', { from: 'new', to: 'false_positive' }, { findingId: 'F-1' }))).toBe('triage new → false positive');
    expect(summarize(entry('note', { text: `${'x'.repeat(200)}` })).length).toBeLessThan(140);
    expect(summarize(entry('mark', { auditID: 'a-1', starred: true, tags: ['escape', 'c2'] }))).toBe('event a-1: starred, tagged escape, c2');
    expect(summarize(entry('mark', { auditID: 'a-1', comment: null }))).toBe('event a-1: comment cleared');
    expect(summarize(entry('mark', { auditID: 'a-1', tags: ['demo'], comment: null }))).toBe('event a-1: tagged demo');
    expect(summarize(entry('mark', { auditID: 'a-1', starred: false, comment: 'seen before' }))).toBe('event a-1: unstarred, commented “seen before”');
    expect(summarize(entry('case', { caseNumber: { from: null, to: 'IR-7' }, summary: { changed: true }, scope: { from: null, to: 'all of it' } }))).toBe(
      'case fields: case number set to “IR-7”, summary edited, scope edited',
    );
  });

  it('survives a detail from another version: missing fields are left out, unknown actions named', () => {
    expect(summarize(entry('export', {}))).toBe('exported nothing');
    expect(summarize(entry('hunt', {}))).toBe('hunted: 0 findings, 0 incidents');
    expect(summarize(entry('rotate-keys', { x: 1 }))).toBe('rotate-keys');
    expect(toJournalItem(entry('note', { text: 'hi', sessionId: 12 }))).toMatchObject({ sessionId: 12, incidentId: null, actor: 'Dana Reyes', summary: 'note: “hi”' });
  });
});
