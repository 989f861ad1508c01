import type { Reason } from '../../shared/domain.ts';

export interface NodeMark {
  /** Named by a `new-*` reason: first seen in the case in this session. */
  isNew: boolean;
  /** The score drop when this node is removed (occlusion); null when the session has no occlusion reasons at all. */
  occlusion: number | null;
}

const key = (type: string, label: string): string => `${type}\u0000${label}`;

/**
 * Reads the hunt's reasons back onto session-graph nodes: which are new to the case, and how much
 * each drove the score. Reasons that carry `nodes` are matched by node type and label exactly;
 * findings stored before the hunt filled `nodes` in are read from their wording instead
 * ("New … LABEL: first seen …", "Node TYPE LABEL drove the score …"), as the UI always did.
 */
export function markNodes(reasons: readonly Reason[], nodes: readonly { type: string; label: string }[]): NodeMark[] {
  const fresh = new Set<string>();
  const freshTexts: string[] = [];
  const drops = new Map<string, number>();
  const dropsByText = new Map<string, number>();
  for (const r of reasons) {
    const isNew = r.kind.startsWith('new-');
    if (r.kind !== 'occlusion' && !isNew) continue;
    if (r.nodes) {
      for (const n of r.nodes) {
        if (isNew) fresh.add(key(n.type, n.label));
        else drops.set(key(n.type, n.label), n.weight ?? r.weight ?? 0);
      }
    } else if (isNew) freshTexts.push(r.text);
    else if (r.weight !== undefined) dropsByText.set(r.text.split(' drove the score')[0], r.weight);
  }
  const occluded = drops.size > 0 || dropsByText.size > 0;
  return nodes.map((n) => ({
    isNew: fresh.has(key(n.type, n.label)) || freshTexts.some((t) => t.includes(` ${n.label}: first seen`)),
    occlusion: occluded ? (drops.get(key(n.type, n.label)) ?? dropsByText.get(`Node ${n.type} ${n.label}`) ?? 0) : null,
  }));
}
