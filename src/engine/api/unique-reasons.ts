import type { Reason } from '../../shared/domain.ts';

/**
 * Findings that share a session repeat its context (a new user, an unfamiliar source): the session
 * view shows each reason once, citing every event any copy cited, in first-seen order.
 */
export function uniqueReasons(reasons: readonly Reason[]): Reason[] {
  const byKey = new Map<string, Reason>();
  for (const r of reasons) {
    const key = `${r.kind}\u0000${r.text}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...r, auditIDs: [...r.auditIDs] });
      continue;
    }
    const ids = new Set(seen.auditIDs);
    for (const id of r.auditIDs) if (!ids.has(id)) seen.auditIDs.push(id);
    if (r.weight !== undefined && (seen.weight === undefined || r.weight > seen.weight)) seen.weight = r.weight;
  }
  return [...byKey.values()];
}
