import type { Severity } from '../../shared/domain.ts';

const SEVERITY_RISK: Record<Severity, number> = { info: 0.1, low: 0.25, medium: 0.45, high: 0.65, critical: 0.8 };
export const SEVERITY_ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Anomaly risk in [0.3, 0.7]: any flagged session is worth a look, none is proof on its own. */
export function anomalyRisk(score: number, threshold: number): number {
  const t = Math.min(threshold, 0.999);
  return 0.3 + 0.4 * Math.min(1, Math.max(0, (score - t) / (1 - t)));
}

export function ruleRisk(severity: Severity, hits: number): number {
  // Repeats add a little (a pattern, not a slip) but never lift a rule past the next severity.
  return Math.min(0.95, SEVERITY_RISK[severity] + Math.min(0.1, 0.02 * Math.log2(hits)));
}

/**
 * Noisy-OR of independent signals: strictly above each of them when both are in (0, 1), which is
 * the point: a rule hit inside an anomalous session outranks either alone.
 */
export const combineRisk = (a: number, b: number): number => 1 - (1 - a) * (1 - b);

export function severityOf(risk: number): Severity {
  return risk >= 0.8 ? 'critical' : risk >= 0.6 ? 'high' : risk >= 0.4 ? 'medium' : risk >= 0.2 ? 'low' : 'info';
}

export const maxSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b);

/** One step down the ladder: a routine habit keeps being listed but not at its rule's full severity. */
export const lowerSeverity = (s: Severity): Severity => SEVERITY_ORDER[Math.max(0, SEVERITY_ORDER.indexOf(s) - 1)];
