import type { AuditEvent, Outcome, Severity } from '../../shared/domain.ts';
import { attemptTitle, isAttempt, outcomeOf, outcomeWords } from './outcome.ts';
import { attemptSeverityFor, SEVERITY_RANK, type Matcher, type Rule, type RuleHit } from './types.ts';

const lesser = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b);

/**
 * The one place a hit learns what became of its request. Under the rule's 'lower' policy an
 * attempt (denied, failed) is titled and detailed as one and drops to its attempt severity, so
 * no rule can report a refused request as done; 'as-is' rules have read the outcome themselves.
 */
function hit(r: Rule, e: AuditEvent, detail: string, outcome: Outcome): RuleHit {
  const severity = r.hitSeverity?.(e) ?? r.severity;
  const base = { ruleId: r.id, techniques: r.techniques, auditID: e.auditID, timeUs: e.timeUs, user: e.user, sourceIPs: e.sourceIPs, outcome };
  if (!isAttempt(outcome) || r.attempts === 'as-is') return { ...base, title: r.title, severity, detail, attempt: false };
  return {
    ...base,
    attempt: true,
    title: attemptTitle(r.title, outcome),
    severity: lesser(severity, r.attemptSeverity ?? attemptSeverityFor(r.severity)),
    detail: `${outcomeWords(e, outcome)}: ${detail}`,
  };
}

/** One event through every matcher; a rule that throws loses that event, not the run. */
function* hitsOf(matchers: [Rule, Matcher][], e: AuditEvent, onError?: (rule: Rule, e: AuditEvent, err: unknown) => void): Generator<RuleHit> {
  const outcome = outcomeOf(e);
  const attempt = isAttempt(outcome);
  for (const [r, m] of matchers) {
    if (attempt && r.attempts === 'skip') continue;
    let detail: string | null;
    try {
      detail = m(e);
    } catch (err) {
      onError?.(r, e, err);
      continue;
    }
    if (detail !== null) yield hit(r, e, detail, outcome);
  }
}

/**
 * Runs rules over events one at a time, yielding hits as they happen. A rule that throws on an
 * odd event (a malformed request body) costs that rule that event, never the run: the error is
 * reported through `onError` and the stream goes on.
 */
export function* streamRules(
  rules: Rule[],
  events: Iterable<AuditEvent>,
  onError?: (rule: Rule, e: AuditEvent, err: unknown) => void,
): Generator<RuleHit> {
  const matchers: [Rule, Matcher][] = rules.map((r) => [r, r.matcher()]);
  for (const e of events) {
    yield* hitsOf(matchers, e, onError);
  }
}

/** The same over an async source (the ingest reader's batches flattened, a store cursor). */
export async function* streamRulesAsync(
  rules: Rule[],
  events: AsyncIterable<AuditEvent>,
  onError?: (rule: Rule, e: AuditEvent, err: unknown) => void,
): AsyncGenerator<RuleHit> {
  const matchers: [Rule, Matcher][] = rules.map((r) => [r, r.matcher()]);
  for await (const e of events) {
    yield* hitsOf(matchers, e, onError);
  }
}

export function runRules(rules: Rule[], events: Iterable<AuditEvent>): RuleHit[] {
  return [...streamRules(rules, events)];
}
