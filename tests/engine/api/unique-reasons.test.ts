import { describe, expect, it } from 'vitest';
import { uniqueReasons } from '../../../src/engine/api/unique-reasons.ts';

describe('uniqueReasons', () => {
  it('keeps one copy of a repeated reason, citing every event, and leaves distinct ones alone', () => {
    const got = uniqueReasons([
      { kind: 'new-user', text: 'New username x', auditIDs: ['a', 'b'] },
      { kind: 'rule-hit', text: 'Rule R fired', auditIDs: ['c'], weight: 0.2 },
      { kind: 'new-user', text: 'New username x', auditIDs: ['b', 'd'] },
      { kind: 'rule-hit', text: 'Rule R fired', auditIDs: ['c'], weight: 0.5 },
      { kind: 'new-user', text: 'New username y', auditIDs: ['e'] },
    ]);
    expect(got).toEqual([
      { kind: 'new-user', text: 'New username x', auditIDs: ['a', 'b', 'd'] },
      { kind: 'rule-hit', text: 'Rule R fired', auditIDs: ['c'], weight: 0.5 },
      { kind: 'new-user', text: 'New username y', auditIDs: ['e'] },
    ]);
  });

  it('does not alter its input', () => {
    const input = [
      { kind: 'k', text: 't', auditIDs: ['a'] },
      { kind: 'k', text: 't', auditIDs: ['b'] },
    ];
    uniqueReasons(input);
    expect(input[0].auditIDs).toEqual(['a']);
  });
});
