import type { AuditEvent } from '../../shared/domain.ts';
import type { Matcher, Rule, RuleHit } from './types.ts';

function hit(r: Rule, e: AuditEvent, detail: string): RuleHit {
  return {
    ruleId: r.id, title: r.title, severity: r.hitSeverity?.(e) ?? r.severity, techniques: r.techniques,
    auditID: e.auditID, timeUs: e.timeUs, user: e.user, sourceIPs: e.sourceIPs, detail,
  };
}

/** One event through every matcher; a rule that throws loses that event, not the run. */
function* hitsOf(matchers: [Rule, Matcher][], e: AuditEvent, onError?: (rule: Rule, e: AuditEvent, err: unknown) => void): Generator<RuleHit> {
  for (const [r, m] of matchers) {
    let detail: string | null;
    try {
      detail = m(e);
    } catch (err) {
      onError?.(r, e, err);
      continue;
    }
    if (detail !== null) yield hit(r, e, detail);
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
