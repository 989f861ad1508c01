import { describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../../src/shared/domain.ts';
import { evaluate, matches, parseTimeUs } from '../../../src/engine/simulate/evaluate.ts';
import type { GroundTruth, TruthScenario } from '../../../src/engine/simulate/truth.ts';

const day = '2024-03-04T';
const scen = (id: string, label: 'malicious' | 'benign', start: string, end: string, p: Partial<TruthScenario>): TruthScenario => ({
  id, label, techniques: [], description: id, actors: [], sourceIPs: [], auditIDs: [], start: day + start, end: day + end, ...p,
});
const truth: GroundTruth = {
  version: 1, generator: 'test', seed: 's', start: day + '00:00:00Z', end: day + '23:59:59Z', scale: 1, cluster: 'c', formats: ['raw'], events: 0,
  scenarios: [
    scen('A', 'malicious', '10:00:00.000000Z', '10:05:00.000000Z', { auditIDs: ['a1', 'a2'], actors: ['u1'], sourceIPs: ['1.1.1.1'] }),
    scen('B', 'malicious', '12:00:00.000000Z', '12:10:00.000000Z', { actors: ['u2'], sourceIPs: ['2.2.2.2'] }),
    scen('C', 'benign', '14:00:00.000000Z', '14:30:00.000000Z', { actors: ['u3'], sourceIPs: ['3.3.3.3'] }),
  ],
};
const finding = (id: string, score: number, start: string, end: string, p: Partial<FindingRecord> = {}): FindingRecord => ({
  id, kind: 'anomaly', score, severity: 'medium', techniques: [], users: [], sourceIPs: [], auditIDs: [], start: day + start, end: day + end, ...p,
});

describe('evaluate', () => {
  // Ranked by score: f4 (1), f1 (2), f2 (3), f3 (4), ten fillers (5–14), f5 (15).
  const findings: FindingRecord[] = [
    finding('f1', 0.9, '10:01:00Z', '10:02:00Z', { auditIDs: ['a2'] }),
    finding('f2', 0.8, '11:00:00Z', '11:30:00Z', { users: ['u1'] }),
    finding('f3', 0.7, '14:10:00Z', '14:20:00Z', { users: ['u3'], title: 'new namespace', reasons: [{ kind: 'novelty', text: 'user u3 never seen before', auditIDs: [] }] }),
    finding('f4', 0.95, '09:00:00Z', '09:30:00Z', { users: ['u1'] }),
    ...Array.from({ length: 10 }, (_, i) => finding(`fill${i}`, 0.6, '16:00:00Z', '16:01:00Z', { users: ['nobody'] })),
    finding('f5', 0.5, '12:05:00Z', '12:06:00Z', { sourceIPs: ['2.2.2.2'] }),
  ];
  const r = evaluate(findings, truth);

  it('ranks each scenario by its best matching finding', () => {
    const by = Object.fromEntries(r.scenarios.map((s) => [s.id, s]));
    expect(by.A).toMatchObject({ found: true, rank: 2, findingIds: ['f1'] });
    expect(by.B).toMatchObject({ found: true, rank: 15, findingIds: ['f5'] });
    expect(by.C).toMatchObject({ found: true, rank: 4, findingIds: ['f3'] });
    expect(by.C.explanations).toEqual(['new namespace', 'user u3 never seen before']);
  });

  it('computes recall and precision at 10/20/50 as worked out by hand', () => {
    // Recall: A is in the top 10, B only in the top 20.
    expect(r.recallAt).toEqual({ 10: 0.5, 20: 1, 50: 1 });
    // Precision: only f1 of the top 10 is malicious (f3 matches the benign scenario);
    // with 15 findings, the top 20 and 50 are all 15, of which f1 and f5 are malicious.
    expect(r.precisionAt[10]).toBeCloseTo(0.1);
    expect(r.precisionAt[20]).toBeCloseTo(2 / 15);
    expect(r.precisionAt[50]).toBeCloseTo(2 / 15);
    expect(r).toMatchObject({ findings: 15, malicious: 2, benign: 1, benignFlagged: 1 });
  });

  it('reports nothing found for an empty list', () => {
    const e = evaluate([], truth);
    expect(e.recallAt).toEqual({ 10: 0, 20: 0, 50: 0 });
    expect(e.precisionAt).toEqual({ 10: null, 20: null, 50: null });
    expect(e.scenarios.every((s) => !s.found && s.rank === null)).toBe(true);
  });
});

describe('matching rule', () => {
  const A = truth.scenarios[0];
  it('needs an overlapping window, touching ends included', () => {
    expect(matches(finding('x', 1, '09:00:00Z', '10:00:00Z', { users: ['u1'] }), A)).toBe(true);
    expect(matches(finding('x', 1, '09:00:00Z', '09:59:59.999999Z', { users: ['u1'] }), A)).toBe(false);
  });
  it('needs a shared auditID, user or source IP', () => {
    expect(matches(finding('x', 1, '10:01:00Z', '10:02:00Z', { users: ['someone'] }), A)).toBe(false);
    expect(matches(finding('x', 1, '10:01:00Z', '10:02:00Z', { sourceIPs: ['1.1.1.1'] }), A)).toBe(true);
    expect(matches(finding('x', 1, '10:01:00Z', '10:02:00Z', { auditIDs: ['a1'] }), A)).toBe(true);
  });
  it('keeps microseconds and offsets when comparing times', () => {
    expect(parseTimeUs('2024-03-04T10:00:00.000001Z') - parseTimeUs('2024-03-04T10:00:00Z')).toBe(1);
    expect(parseTimeUs('2024-03-04T11:00:00+01:00')).toBe(parseTimeUs('2024-03-04T10:00:00Z'));
  });
});
