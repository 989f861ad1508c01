import { describe, expect, it } from 'vitest';
import { markNodes } from '../../../src/engine/api/reason-nodes.ts';
import type { Reason } from '../../../src/shared/domain.ts';

const nodes = [
  { type: 'user', label: 'alice' },
  { type: 'ip', label: '10.0.0.9' },
  { type: 'namespace', label: 'alice' },
  { type: 'resource', label: 'secrets' },
];

describe('markNodes', () => {
  it('uses the structured nodes when the hunt gives them, matching type and label', () => {
    const reasons: Reason[] = [
      { kind: 'new-user', text: 'reworded: never seen before', auditIDs: ['a'], nodes: [{ type: 'user', label: 'alice' }] },
      { kind: 'occlusion', text: 'reworded too', auditIDs: ['b'], weight: 0.5, nodes: [{ type: 'resource', label: 'secrets', weight: 0.3 }] },
      { kind: 'occlusion', text: 'no per-node weight', auditIDs: ['c'], weight: 0.1, nodes: [{ type: 'ip', label: '10.0.0.9' }] },
    ];
    expect(markNodes(reasons, nodes)).toEqual([
      { isNew: true, occlusion: 0 },
      { isNew: false, occlusion: 0.1 },
      // Same label, other type: not the new user.
      { isNew: false, occlusion: 0 },
      { isNew: false, occlusion: 0.3 },
    ]);
  });

  it('falls back to the wording the hunt has always used when a reason has no nodes', () => {
    const reasons: Reason[] = [
      { kind: 'new-sourceIP', text: 'New source IP 10.0.0.9: first seen in the case in this session', auditIDs: ['a'] },
      { kind: 'occlusion', text: 'Node resource secrets drove the score: removing it lowers it by 0.200', auditIDs: ['b'], weight: 0.2 },
    ];
    const marks = markNodes(reasons, nodes);
    expect(marks.map((m) => m.isNew)).toEqual([false, true, false, false]);
    expect(marks.map((m) => m.occlusion)).toEqual([0, 0, 0, 0.2]);
  });

  it('says when a session has no occlusion at all, so the caller can size nodes by degree', () => {
    const reasons: Reason[] = [{ kind: 'verbs', text: 'Verbs: get ×3', auditIDs: ['a'] }];
    expect(markNodes(reasons, nodes).every((m) => m.occlusion === null && !m.isNew)).toBe(true);
  });
});
