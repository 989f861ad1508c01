import { createHash } from 'node:crypto';
import type { Reason, Severity } from '../../shared/domain.ts';
import { familiarity, type Familiarity, type FamiliarityContext } from './familiarity.ts';
import { anomalyRisk, combineRisk, lowerSeverity, maxSeverity, ruleRisk, SEVERITY_ORDER, severityOf } from './risk.ts';
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
  /** Risk already computed from the session's evidence (actor sessions); else derived from score and threshold. */
  risk?: number;
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
  /** Case-wide (rule, actor) history and source familiarity; without it rule risk is the rule's alone. */
  familiarity?: FamiliarityContext;
  /**
   * The session an event was cut into. A rule finding outside every anomaly then still opens on the
   * minute its first hit happened in, graph and all, instead of only a list of events.
   */
  sessionOf?(auditID: string): number | undefined;
}

export { anomalyRisk, combineRisk, ruleRisk, severityOf } from './risk.ts';

const DEFAULT_GAP_US = 10 * 60 * 1e6;
/** At or above this routine share a rule group is the actor's habit: context, not evidence. */
const HABIT = 0.5;

/** Stable ids: the same evidence gives the same id on a re-run, so triage and notes reattach. */
const findingId = (key: string): string => `F-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;

/** Group rule hits by (rule, actor) and time gap: 500 identical hits are one thing to look at. */
export function groupRuleHits(hits: HuntRuleHit[], gapUs = DEFAULT_GAP_US): RuleGroup[] {
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

interface Scored {
  group: RuleGroup;
  fam: Familiarity;
}

const subGroup = (g: RuleGroup, hits: HuntRuleHit[]): RuleGroup => ({ ...g, hits, startUs: hits[0].timeUs, endUs: hits[hits.length - 1].timeUs });

/**
 * Where each rule group goes. A short group (one episode) joins the highest-scoring flagged
 * session holding one of its hits, whole: splitting an episode at a minute edge leaves a
 * near-duplicate finding behind. A long group (hits spread over more than the gap, e.g. a day of
 * scraping) lends a session only the hits inside it; the rest stays a rule group.
 */
function place(groups: RuleGroup[], ranked: Anomaly[], gapUs: number): { bySession: Map<number, RuleGroup[]>; loose: RuleGroup[] } {
  const memberOf = new Map<string, Anomaly>();
  for (const a of ranked) for (const id of a.auditIDs) if (!memberOf.has(id)) memberOf.set(id, a);
  const bySession = new Map<number, RuleGroup[]>();
  const join = (sessionId: number, g: RuleGroup): void => void bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), g]);
  const loose: RuleGroup[] = [];
  for (const g of groups) {
    if (g.endUs - g.startUs <= gapUs) {
      let best: Anomaly | undefined;
      for (const h of g.hits) {
        const a = memberOf.get(h.auditID);
        if (a && (!best || a.score > best.score)) best = a;
      }
      if (best) join(best.sessionId, g);
      else loose.push(g);
      continue;
    }
    const parts = new Map<number, HuntRuleHit[]>();
    const rest: HuntRuleHit[] = [];
    for (const h of g.hits) {
      const a = memberOf.get(h.auditID);
      if (a) parts.set(a.sessionId, [...(parts.get(a.sessionId) ?? []), h]);
      else rest.push(h);
    }
    for (const [sessionId, hs] of parts) join(sessionId, subGroup(g, hs));
    if (rest.length) loose.push(rest.length === g.hits.length ? g : subGroup(g, rest));
  }
  return { bySession, loose };
}

/** Loose groups of one actor that overlap within the gap are one incident: six rules on one pod spec are one thing to read. */
function incidents(loose: Scored[], gapUs: number): Scored[][] {
  const habits = loose.filter((s) => s.fam.routine >= HABIT).map((s) => [s]);
  const rest = loose.filter((s) => s.fam.routine < HABIT).sort((a, b) => a.group.user.localeCompare(b.group.user) || a.group.startUs - b.group.startUs || a.group.ruleId.localeCompare(b.group.ruleId));
  const out: Scored[][] = [];
  let cur: Scored[] = [];
  let endUs = -Infinity;
  for (const s of rest) {
    if (cur.length && (s.group.user !== cur[0].group.user || s.group.startUs > endUs + gapUs)) {
      out.push(cur);
      cur = [];
    }
    if (!cur.length) endUs = -Infinity;
    cur.push(s);
    endUs = Math.max(endUs, s.group.endUs);
  }
  if (cur.length) out.push(cur);
  return [...out, ...habits];
}

const effectiveSeverity = (s: Scored): Severity => (s.fam.routine >= HABIT ? lowerSeverity(s.group.severity) : s.group.severity);
const byRisk = (x: Scored, y: Scored): number => y.fam.risk - x.fam.risk || x.group.ruleId.localeCompare(y.group.ruleId);

/** Join anomalies and rule groups into findings, riskiest first. */
export function correlate(anomalies: Anomaly[], hits: HuntRuleHit[], options: CorrelateOptions): Finding[] {
  const gapUs = options.groupGapUs ?? DEFAULT_GAP_US;
  const ranked = [...anomalies].sort((a, b) => b.score - a.score || a.sessionId - b.sessionId);
  const { bySession, loose } = place(groupRuleHits(hits, gapUs), ranked, gapUs);
  const score = (g: RuleGroup): Scored => ({ group: g, fam: familiarity(options.familiarity, g, ruleRisk(g.severity, g.hits.length)) });
  const findings: Finding[] = [];
  for (const a of anomalies) {
    const all = (bySession.get(a.sessionId) ?? []).map(score).sort(byRisk);
    // A habit inside the session is there in every session: it is told, but lifts nothing.
    const joined = all.filter((s) => s.fam.routine < HABIT);
    const habits = all.filter((s) => s.fam.routine >= HABIT);
    const aRisk = a.risk ?? anomalyRisk(a.score, options.threshold);
    const habitReasons = habits.map((s) => groupReason(s.group));
    if (!joined.length) {
      findings.push(make('anomaly', `anomaly:${a.sessionId}`, {
        title: `Unusual session #${a.sessionId}${a.summary ? `: ${a.summary}` : ''}`,
        risk: aRisk, severity: severityOf(aRisk), startUs: a.startUs, endUs: a.endUs, sessionId: a.sessionId,
        techniques: [], users: a.users, sourceIPs: a.sourceIPs, auditIDs: a.auditIDs, ruleIds: [], reasons: [...a.reasons.filter((r) => r.kind !== 'rule-hit'), ...habitReasons],
      }));
      continue;
    }
    const risk = combineRisk(aRisk, joined[0].fam.risk);
    const ruleSeverity = joined.map(effectiveSeverity).reduce(maxSeverity);
    const groups = joined.map((s) => s.group);
    findings.push(make('correlated', `anomaly:${a.sessionId}`, {
      title: `${joined[0].group.title} inside unusual session #${a.sessionId}`,
      risk, severity: maxSeverity(severityOf(risk), ruleSeverity),
      startUs: Math.min(a.startUs, ...groups.map((g) => g.startUs)), endUs: Math.max(a.endUs, ...groups.map((g) => g.endUs)), sessionId: a.sessionId,
      techniques: groups.flatMap((g) => g.techniques), users: [...a.users, ...groups.map((g) => g.user)],
      sourceIPs: [...a.sourceIPs, ...groups.flatMap((g) => g.hits.flatMap((h) => h.sourceIPs))],
      auditIDs: [...a.auditIDs, ...groups.flatMap((g) => g.hits.map((h) => h.auditID))], ruleIds: groups.map((g) => g.ruleId),
      // The groups' reasons replace the session's own rule-hit reasons: same hits, said once.
      reasons: [...joined.flatMap((s) => [groupReason(s.group), ...s.fam.reasons]), ...a.reasons.filter((r) => r.kind !== 'rule-hit'), ...habitReasons],
    }));
  }
  for (const inc of incidents(loose.map(score), gapUs)) {
    const parts = [...inc].sort(byRisk);
    const top = parts[0].group;
    const rules = new Set(parts.map((s) => s.group.ruleId));
    // Each further technique on the same actor's episode adds a little, like repeats do for one
    // rule; four rules about one pod spec's host access are one technique, not four pieces of evidence.
    const extra = new Set(parts.flatMap((s) => s.group.techniques).filter((t) => !top.techniques.includes(t))).size;
    const risk = Math.min(0.95, parts[0].fam.risk + Math.min(0.1, 0.03 * extra));
    const first = [...inc].sort((x, y) => x.group.startUs - y.group.startUs || x.group.ruleId.localeCompare(y.group.ruleId))[0].group;
    const key = inc.length === 1 ? `rule:${top.ruleId}:${top.user}:${top.hits[0].auditID}` : `incident:${top.user}:${first.hits[0].auditID}`;
    const others = rules.size - 1;
    findings.push(make('rule', key, {
      title: `${top.title}${top.user ? ` by ${top.user}` : ''}${top.hits.length > 1 ? ` (×${top.hits.length})` : ''}${others ? ` and ${others} more rule${others === 1 ? '' : 's'}` : ''}`,
      risk, severity: parts.map(effectiveSeverity).reduce(maxSeverity),
      startUs: Math.min(...parts.map((s) => s.group.startUs)), endUs: Math.max(...parts.map((s) => s.group.endUs)),
      sessionId: options.sessionOf?.(top.hits[0].auditID),
      techniques: parts.flatMap((s) => s.group.techniques), users: [top.user], sourceIPs: parts.flatMap((s) => s.group.hits.flatMap((h) => h.sourceIPs)),
      auditIDs: parts.flatMap((s) => s.group.hits.map((h) => h.auditID)), ruleIds: parts.map((s) => s.group.ruleId),
      reasons: parts.flatMap((s) => [groupReason(s.group), ...s.fam.reasons]),
    }));
  }
  return findings.sort((a, b) => b.score - a.score || a.startUs - b.startUs || a.id.localeCompare(b.id));
}

function groupReason(g: RuleGroup): Reason {
  const t = g.techniques.length ? ` [${g.techniques.join(', ')}]` : '';
  return { kind: 'rule-hit', text: `Rule ${g.ruleId} "${g.title}"${t} fired ${g.hits.length} time${g.hits.length === 1 ? '' : 's'}${g.user ? ` for ${g.user}` : ''}`, auditIDs: g.hits.map((h) => h.auditID), techniques: g.techniques };
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
