import { describe, expect, it } from 'vitest';
import { openMemory } from '../../../src/engine/store/db.ts';
import { getFinding, latestHuntRun, listFindings, saveHuntRun } from '../../../src/engine/store/findings.ts';
import { addNote, getTriage, listNotes, setTriage } from '../../../src/engine/store/notes.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';
import type { Finding } from '../../../src/engine/hunt/types.ts';
import { usToRfc3339 } from '../../../src/engine/hunt/time.ts';

const finding = (id: string, score: number, severity: Finding['severity'], techniques: string[]): Finding => ({
  id,
  kind: 'rule',
  startUs: 1_700_000_000_000_001,
  endUs: 1_700_000_060_000_002,
  start: usToRfc3339(1_700_000_000_000_001),
  end: usToRfc3339(1_700_000_060_000_002),
  score,
  severity,
  title: `finding ${id}`,
  techniques,
  users: ['alice'],
  sourceIPs: ['10.0.0.1'],
  auditIDs: ['x1', 'x2'],
  ruleIds: ['r1'],
  reasons: [{ kind: 'rule', text: 'r1 fired', auditIDs: ['x1'] }],
});

describe('findings, triage, notes and the journal', () => {
  it('stores findings riskiest first and filters them', () => {
    const db = openMemory();
    saveHuntRun(db, { startedAt: 's', config: { contamination: 0.004 }, metrics: {} }, [
      finding('F-low', 0.2, 'low', ['T1613']),
      finding('F-high', 0.9, 'critical', ['T1552.007']),
    ]);
    expect(listFindings(db).map((f) => f.id)).toEqual(['F-high', 'F-low']);
    expect(listFindings(db, { techniques: ['T1552'] }).map((f) => f.id)).toEqual(['F-high']);
    expect(listFindings(db, { severities: ['low'] }).map((f) => f.id)).toEqual(['F-low']);
    expect(listFindings(db, { limit: 1 })).toHaveLength(1);
    const f = getFinding(db, 'F-high')!;
    expect(f.start).toBe('2023-11-14T22:13:20.000001Z');
    expect(f.reasons[0].auditIDs).toEqual(['x1']);
    expect(f.triage).toBe('new');
    expect(latestHuntRun(db)?.config).toEqual({ contamination: 0.004 });
  });

  it('journals every triage change and note, and keeps them across a re-run of the hunt', () => {
    const db = openMemory();
    saveHuntRun(db, { startedAt: 's', config: {}, metrics: {} }, [finding('F-a', 0.5, 'medium', [])]);
    setTriage(db, 'F-a', 'investigating', 'ana');
    setTriage(db, 'F-a', 'benign_true_positive', 'ana');
    addNote(db, 'F-a', 'hardening job, ticket OPS-12', 'ana');
    saveHuntRun(db, { startedAt: 's2', config: {}, metrics: {} }, [finding('F-a', 0.5, 'medium', [])]);
    expect(getTriage(db, 'F-a')).toBe('benign_true_positive');
    expect(listFindings(db, { states: ['benign_true_positive'] }).map((f) => f.id)).toEqual(['F-a']);
    expect(listNotes(db, 'F-a').map((n) => n.text)).toEqual(['hardening job, ticket OPS-12']);
    const j = listJournal(db, 'F-a');
    expect(j.map((e) => e.action)).toEqual(['triage', 'triage', 'note']);
    expect(j[0].detail).toEqual({ from: 'new', to: 'investigating' });
    expect(j[1].detail).toEqual({ from: 'investigating', to: 'benign_true_positive' });
    for (const e of j) expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    expect(() => setTriage(db, 'F-a', 'maybe' as never)).toThrow(/unknown triage state/);
  });
});
