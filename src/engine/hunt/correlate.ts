import { createHash } from 'node:crypto';
import type { Reason, Severity } from '../../shared/domain.ts';
import { usToRfc3339 } from './time.ts';
import type { Finding, HuntRuleHit } from './types.ts';

/** A session the forest flagged, with what the hunt knows about it. */
export interface Anomaly {
  sessionId: number;
  /** Isolation Forest score in [0, 1]. */
  score: number;
  startUs: number;
  endUs: number;
  auditIDs: string[];
  users: string[];
  sourceIPs: string[];
  reasons: Reason[];
  /** Short description for the title, e.g. "412 events, mostly list". */
  summary?: string;
}

/** Hits of one rule by one actor, close in time. */
export interface RuleGroup {
  ruleId: string;
  title: string;
  severity: Severity;
  techniques: string[];
  user: string;
  hits: HuntRuleHit[];
  startUs: number;
  endUs: number;
}

export interface CorrelateOptions {
  /** Score threshold the forest used: anomaly risk grows from it. */
  threshold: number;
  /** Hits of the same rule by the same actor further apart than this start a new group. 10 min. */
  groupGapUs?: number;
}

const SEVERITY_RISK: Record<Severity, number> = { info: 0.1, low: 0.25, medium: 0.45, high: 0.65, critical: 0.8 };
const SEVERITY_ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Group rule hits by (rule, actor) and time gap: 500 identical hits are one thing to look at. */
export function groupRuleHits(hits: HuntRuleHit[], gapUs = 10 * 60 * 1e6): RuleGroup[] {
  const sorted = [...hits].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.user.localeCompare(b.user) || a.timeUs - b.timeUs || a.auditID.localeCompare(b.auditID));
  const groups: RuleGroup[] = [];
  let cur: RuleGroup | null = null;
  for (const h of sorted) {
    if (!cur || cur.ruleId !== h.ruleId || cur.user !== h.user || h.timeUs - cur.endUs > gapUs) {
      cur = { ruleId: h.ruleId, title: h.title, severity: h.severity, techniques: [...h.techniques], user: h.user, hits: [], startUs: h.timeUs, endUs: h.timeUs };
      groups.push(cur);
    }
    cur.hits.push(h);
    cur.endUs = Math.max(cur.endUs, h.timeUs);
    if (SEVERITY_ORDER.indexOf(h.severity) > SEVERITY_ORDER.indexOf(cur.severity)) cur.severity = h.severity;
  }
  return groups;
}

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

const maxSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b);

/** Stable ids: the same evidence gives the same id on a re-run, so triage and notes reattach. */
const findingId = (key: string): string => `F-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;

/** Join anomalies and rule groups into findings, riskiest first. */
export function correlate(anomalies: Anomaly[], hits: HuntRuleHit[], options: CorrelateOptions): Finding[] {
  const groups = groupRuleHits(hits, options.groupGapUs);
  const bySession = new Map<number, RuleGroup[]>();
  const ranked = [...anomalies].sort((a, b) => b.score - a.score || a.sessionId - b.sessionId);
  const memberOf = new Map<string, Anomaly>();
  for (const a of ranked) for (const id of a.auditIDs) if (!memberOf.has(id)) memberOf.set(id, a);
  const loose: RuleGroup[] = [];
  for (const g of groups) {
    // A group joins the highest-scoring anomalous session that holds one of its events.
    let best: Anomaly | undefined;
    for (const h of g.hits) {
      const a = memberOf.get(h.auditID);
      if (a && (!best || a.score > best.score)) best = a;
    }
    if (best) bySession.set(best.sessionId, [...(bySession.get(best.sessionId) ?? []), g]);
    else loose.push(g);
  }
  const findings: Finding[] = [];
  for (const a of anomalies) {
    const joined = bySession.get(a.sessionId) ?? [];
    const aRisk = anomalyRisk(a.score, options.threshold);
    if (!joined.length) {
      findings.push(make('anomaly', `anomaly:${a.sessionId}`, {
        title: `Unusual session #${a.sessionId}${a.summary ? `: ${a.summary}` : ''}`,
        risk: aRisk, severity: severityOf(aRisk), startUs: a.startUs, endUs: a.endUs, sessionId: a.sessionId,
        techniques: [], users: a.users, sourceIPs: a.sourceIPs, auditIDs: a.auditIDs, ruleIds: [], reasons: a.reasons,
      }));
      continue;
    }
    const rRisk = Math.max(...joined.map((g) => ruleRisk(g.severity, g.hits.length)));
    const risk = combineRisk(aRisk, rRisk);
    const topRule = [...joined].sort((x, y) => ruleRisk(y.severity, y.hits.length) - ruleRisk(x.severity, x.hits.length))[0];
    const ruleSeverity = joined.map((g) => g.severity).reduce(maxSeverity);
    findings.push(make('correlated', `anomaly:${a.sessionId}`, {
      title: `${topRule.title} inside unusual session #${a.sessionId}`,
      risk, severity: maxSeverity(severityOf(risk), ruleSeverity),
      startUs: Math.min(a.startUs, ...joined.map((g) => g.startUs)), endUs: Math.max(a.endUs, ...joined.map((g) => g.endUs)), sessionId: a.sessionId,
      techniques: joined.flatMap((g) => g.techniques), users: [...a.users, ...joined.map((g) => g.user)],
      sourceIPs: [...a.sourceIPs, ...joined.flatMap((g) => g.hits.flatMap((h) => h.sourceIPs))],
      auditIDs: [...a.auditIDs, ...joined.flatMap((g) => g.hits.map((h) => h.auditID))], ruleIds: joined.map((g) => g.ruleId),
      // The groups' reasons replace the session's own rule-hit reasons: same hits, said once.
      reasons: [...joined.map(groupReason), ...a.reasons.filter((r) => r.kind !== 'rule-hit')],
    }));
  }
  for (const g of loose) {
    const risk = ruleRisk(g.severity, g.hits.length);
    findings.push(make('rule', `rule:${g.ruleId}:${g.user}:${g.hits[0].auditID}`, {
      title: `${g.title}${g.user ? ` by ${g.user}` : ''}${g.hits.length > 1 ? ` (×${g.hits.length})` : ''}`,
      risk, severity: g.severity, startUs: g.startUs, endUs: g.endUs,
      techniques: g.techniques, users: [g.user], sourceIPs: g.hits.flatMap((h) => h.sourceIPs), auditIDs: g.hits.map((h) => h.auditID), ruleIds: [g.ruleId],
      reasons: [groupReason(g)],
    }));
  }
  return findings.sort((a, b) => b.score - a.score || a.startUs - b.startUs || a.id.localeCompare(b.id));
}

function groupReason(g: RuleGroup): Reason {
  const t = g.techniques.length ? ` [${g.techniques.join(', ')}]` : '';
  return { kind: 'rule-hit', text: `Rule ${g.ruleId} "${g.title}"${t} fired ${g.hits.length} time${g.hits.length === 1 ? '' : 's'}${g.user ? ` for ${g.user}` : ''}`, auditIDs: g.hits.map((h) => h.auditID) };
}

interface Parts {
  title: string;
  risk: number;
  severity: Severity;
  startUs: number;
  endUs: number;
  sessionId?: number;
  techniques: string[];
  users: string[];
  sourceIPs: string[];
  auditIDs: string[];
  ruleIds: string[];
  reasons: Reason[];
}

function make(kind: Finding['kind'], key: string, p: Parts): Finding {
  const uniq = (xs: string[]): string[] => [...new Set(xs.filter((x) => x !== ''))];
  return {
    id: findingId(key),
    kind,
    title: p.title,
    start: usToRfc3339(p.startUs),
    end: usToRfc3339(p.endUs),
    startUs: p.startUs,
    endUs: p.endUs,
    score: Math.round(p.risk * 1e4) / 1e4,
    severity: p.severity,
    techniques: uniq(p.techniques).sort(),
    users: uniq(p.users).sort(),
    sourceIPs: uniq(p.sourceIPs).sort(),
    auditIDs: uniq(p.auditIDs),
    ruleIds: uniq(p.ruleIds).sort(),
    reasons: p.reasons,
    sessionId: p.sessionId,
  };
}
