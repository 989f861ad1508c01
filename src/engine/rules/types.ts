import type { AuditEvent, Outcome, Severity } from '../../shared/domain.ts';

/**
 * What the engine does with a denied or failed request (an attempt, src/engine/rules/outcome.ts):
 * - 'lower': the rule fires, its hit titled as an attempt at `attemptSeverity` (the default);
 * - 'skip': the rule describes something only a success shows ("anonymous request allowed"):
 *   its matcher never sees an attempt;
 * - 'as-is': the rule reads the outcome itself (probing and burst rules, Sigma rules on
 *   `responseStatus.code`): its hit stays as the rule wrote it.
 */
export type AttemptPolicy = 'lower' | 'skip' | 'as-is';

/** What every rule, built-in or imported, says about itself (docs/rules.md lists them). */
export interface RuleMeta {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  /** ATT&CK technique IDs, e.g. 'T1609', 'T1053.007'. */
  techniques: string[];
  falsePositives: string[];
  /** See AttemptPolicy; absent means 'lower'. */
  attempts?: AttemptPolicy;
  /** Severity of an attempt's hit under 'lower'; absent means attemptSeverityFor(severity). */
  attemptSeverity?: Severity;
  /** Event fields the rule reads, named as in docs/rules.md (e.g. 'requestObject.spec.hostPID'). */
  fields: string[];
  source: 'builtin' | 'sigma';
  /** Sigma rules keep their attribution (Detection Rule License) and status. */
  author?: string;
  status?: string;
  /** Where the rule came from: a Sigma file path, or undefined for the built-in pack. */
  origin?: string;
}

/** Returns a human detail string when the event matches, null otherwise. */
export type Matcher = (e: AuditEvent) => string | null;

export interface Rule extends RuleMeta {
  /**
   * A fresh matcher for one run. Stateful rules keep their (bounded) window state inside the
   * closure, so two runs never share state and a rule object can be reused.
   */
  matcher(): Matcher;
  /**
   * One hit's severity when it is not the rule's own (null: the rule's). Lets a rule keep firing,
   * so the event stays cited and Falco's expectations hold, while saying this case is routine.
   */
  hitSeverity?(e: AuditEvent): Severity | null;
}

export interface RuleHit {
  ruleId: string;
  title: string;
  severity: Severity;
  techniques: string[];
  auditID: string;
  timeUs: number;
  user: string;
  sourceIPs: string[];
  detail: string;
  /** What became of the request the hit cites; a denied or failed one was only attempted. */
  outcome: Outcome;
  /**
   * The engine reported this hit as an attempt (title, detail and severity already say so).
   * False for successes, unknown outcomes, and 'as-is' rules whose signal is the refusal itself
   * (a burst of 403s is probing, fully rated): readers must not demote those again.
   */
  attempt: boolean;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * An attempt's default severity: low at most (info for rules that are low already). A refusal
 * shows intent, not effect; what ranks probing is the burst rules, which count every refusal.
 */
export function attemptSeverityFor(s: Severity): Severity {
  return SEVERITY_RANK[s] > SEVERITY_RANK.low ? 'low' : 'info';
}
