import type { AuditEvent } from '../../shared/domain.ts';
import { containers, podSpecs } from '../rules/fields.ts';
import type { StoredIncident } from '../store/incidents.ts';

export type IndicatorKind = 'account' | 'ip' | 'image' | 'object';

/** One thing the receiving team can search for or block, and the incidents that show it. */
export interface Indicator {
  kind: IndicatorKind;
  value: string;
  /** Incident ids, riskiest first. */
  incidents: string[];
}

/** Incidents the analyst called benign name no indicator: their accounts and images are not to be blocked. */
const BENIGN = new Set(['benign_true_positive', 'false_positive']);
/**
 * Low and info incidents are what the hunt surfaces as new rather than hostile (a rollout, an
 * upgrade): their controllers and objects would bury the attacker's few indicators (on the demo,
 * 349 objects in all against a few dozen from the medium-and-above incidents).
 */
const INDICATIVE = new Set(['medium', 'high', 'critical']);
const ORDER: IndicatorKind[] = ['account', 'ip', 'image', 'object'];

/**
 * Accounts, source addresses, container images and objects of the case's medium, high and
 * critical incidents (those not triaged benign), each with the incidents that show it, by kind then by the riskiest incident.
 * Images come from the workload specs in the events the incidents cite.
 */
export function indicatorsOf(incidents: readonly StoredIncident[], events: ReadonlyMap<string, AuditEvent>): Indicator[] {
  const found = new Map<string, Indicator & { best: number }>();
  const add = (kind: IndicatorKind, value: string, inc: StoredIncident): void => {
    if (!value) return;
    const key = `${kind}\u0000${value}`;
    const cur = found.get(key) ?? { kind, value, incidents: [], best: inc.rank };
    if (!cur.incidents.includes(inc.id)) cur.incidents.push(inc.id);
    cur.best = Math.min(cur.best, inc.rank);
    found.set(key, cur);
  };
  for (const inc of [...incidents].sort((a, b) => a.rank - b.rank)) {
    if (BENIGN.has(inc.triage) || !INDICATIVE.has(inc.severity)) continue;
    for (const u of inc.users) add('account', u, inc);
    for (const ip of inc.sourceIPs) add('ip', ip, inc);
    for (const id of inc.auditIDs) {
      const e = events.get(id);
      if (!e) continue;
      for (const spec of podSpecs(e)) for (const c of containers(spec)) if (typeof c.image === 'string') add('image', c.image, inc);
    }
    for (const o of inc.objects) add('object', o, inc);
  }
  return [...found.values()]
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.best - b.best || a.value.localeCompare(b.value))
    .map(({ kind, value, incidents: ids }) => ({ kind, value, incidents: ids }));
}
