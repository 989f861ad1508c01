import type { AuditEvent, Severity } from '../../shared/domain.ts';
import type { Matcher, Rule, RuleMeta } from './types.ts';
import { WindowCounter } from './sliding-count.ts';

/** What a built-in rule says about itself: RuleMeta less what only imported rules carry. */
export type BuiltinSpec = Omit<RuleMeta, 'source' | 'author' | 'status' | 'origin'>;

/** A stateless built-in rule: `match` returns the detail for a hit, or null; `hitSeverity` see Rule. */
export function rule(spec: BuiltinSpec, match: Matcher, hitSeverity?: (e: AuditEvent) => Severity | null): Rule {
  return { ...spec, source: 'builtin', matcher: () => match, ...(hitSeverity ? { hitSeverity } : {}) };
}

/** A built-in rule with per-run state: `make` is called once per run. */
export function statefulRule(spec: BuiltinSpec, make: () => Matcher): Rule {
  return { ...spec, source: 'builtin', matcher: make };
}

export interface ThresholdSpec {
  windowUs: number;
  threshold: number;
  /** Which events count, and under which key (e.g. actor); null to skip. */
  key(e: AuditEvent): string | null;
  /** For distinct-count rules: the value whose distinct count is compared to the threshold. */
  distinct?(e: AuditEvent): string | null;
  describe(key: string, count: number): string;
}

/** A threshold rule over a sliding window per key, bounded by WindowCounter. */
export function thresholdRule(spec: BuiltinSpec, t: ThresholdSpec): Rule {
  return statefulRule(spec, () => {
    const counter = new WindowCounter({ windowUs: t.windowUs, threshold: t.threshold });
    return (e) => {
      const key = t.key(e);
      if (key === null) return null;
      let count: number | null;
      if (t.distinct) {
        const v = t.distinct(e);
        if (v === null) return null;
        count = counter.addDistinct(key, v, e.timeUs);
      } else {
        count = counter.add(key, e.timeUs);
      }
      return count === null ? null : t.describe(key, count);
    };
  });
}

/** `user@ip` (first source IP) — the actor a burst belongs to. */
export function actorKey(e: AuditEvent): string {
  return `${e.user}@${e.sourceIPs[0] ?? '?'}`;
}
