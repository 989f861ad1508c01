import type { Reason } from '../../shared/domain.ts';
import { noveltyNode } from './novelty-node.ts';
import { combineRisk } from './risk.ts';
import { entityKey, pairKey, type CaseProfile, type NoveltyKind } from './profile.ts';
import { atTimeText } from './time.ts';
import type { HuntRuleHit } from './types.ts';

const HOUR_US = 3600 * 1e6;
/** A (rule, actor) pair active in this share of the case's hours or more is fully routine. */
const ROUTINE_FULL_SHARE = 0.5;
/** Below this share of hours a pair is an episode, not a habit: no routine reason, no demotion. */
const ROUTINE_MIN_SHARE = 0.1;
/** A fully routine pair keeps this share of its rule risk: still listed, never on top. */
const ROUTINE_FLOOR = 0.4;
/** A source IP behind less than this share of a user's requests is unfamiliar for that user. */
const UNFAMILIAR_SHARE = 0.05;
/** A user→IP pair in use for less than this is not (yet) where the user works from. */
const ESTABLISHED_US = 3600 * 1e6;
/** Noisy-OR lift for a rule hit from an unfamiliar source: stolen credentials are used from elsewhere. */
const UNFAMILIAR_RISK = 0.2;

/** How one (rule, actor) pair behaves across the whole case. */
export interface PairHistory {
  hits: number;
  /** Distinct clock hours with at least one hit. */
  hours: number;
  /** Distinct UTC days with at least one hit: a nightly job is a habit too. */
  days: number;
  firstUs: number;
  /** First UTC day index with a hit. */
  firstDay: number;
}

export interface FamiliarityContext {
  spanHours: number;
  spanDays: number;
  /** Users with at least one established source address. */
  settled: Set<string>;
  baselineEndUs: number;
  history: Map<string, PairHistory>;
  profile: Pick<CaseProfile, 'pairs' | 'userTotals' | 'baselineEndUs' | 'firstSeen'>;
}

export interface Familiarity {
  /** Rule risk after routine demotion and unfamiliar-source lift. */
  risk: number;
  /** 0 = an episode, 1 = all-day habit of an actor already there in the baseline. */
  routine: number;
  reasons: Reason[];
}

/** A user's IP is established when it has been in use for a while and carries a fair share of the user's requests. */
const established = (count: number, total: number, firstUs: number, lastUs: number): boolean => count / total >= UNFAMILIAR_SHARE && lastUs - firstUs >= ESTABLISHED_US;

const historyKey = (ruleId: string, user: string): string => `${ruleId}\u0000${user}`;

/**
 * Case-wide history of every (rule, actor) pair. Routine is judged on the whole case, not the
 * group: Prometheus scraping nodes/proxy every minute is one habit however it is cut.
 */
export function buildFamiliarity(hits: HuntRuleHit[], profile: Pick<CaseProfile, 'startUs' | 'endUs' | 'baselineEndUs' | 'pairs' | 'userTotals' | 'firstSeen'>): FamiliarityContext {
  const hours = new Map<string, Set<number>>();
  const days = new Map<string, Set<number>>();
  const history = new Map<string, PairHistory>();
  for (const h of hits) {
    const key = historyKey(h.ruleId, h.user);
    const hist = history.get(key) ?? { hits: 0, hours: 0, days: 0, firstUs: h.timeUs, firstDay: 0 };
    hist.hits++;
    hist.firstUs = Math.min(hist.firstUs, h.timeUs);
    history.set(key, hist);
    const set = hours.get(key) ?? new Set<number>();
    set.add(Math.floor(h.timeUs / HOUR_US));
    hours.set(key, set);
    const daySet = days.get(key) ?? new Set<number>();
    daySet.add(Math.floor(h.timeUs / (24 * HOUR_US)));
    days.set(key, daySet);
  }
  for (const [key, set] of hours) history.get(key)!.hours = set.size;
  for (const [key, set] of days) {
    history.get(key)!.days = set.size;
    history.get(key)!.firstDay = Math.min(...set);
  }
  const settled = new Set<string>();
  for (const [key, stat] of profile.pairs) {
    const [kind, user] = key.split('\u0000');
    if (kind === 'user→sourceIP' && established(stat.count, profile.userTotals.get(user) ?? 0, stat.firstUs, stat.lastUs)) settled.add(user);
  }
  const spanHours = Math.max(1, Math.ceil((profile.endUs - profile.startUs) / HOUR_US));
  const spanDays = Math.max(1, Math.ceil((profile.endUs - profile.startUs) / (24 * HOUR_US)));
  return { spanHours, spanDays, settled, baselineEndUs: profile.baselineEndUs, history, profile };
}

/**
 * The user's least familiar source IP among the hits: one with no established use by this user
 * (a sliver of the user's requests, or a burst from an address never used for long). Stolen
 * credentials are used from elsewhere; a user's own address, whenever it first appeared, is not.
 */
function unfamiliarSource(ctx: FamiliarityContext, user: string, hits: HuntRuleHit[]): { ip: string; count: number; total: number; firstUs: number } | null {
  const total = ctx.profile.userTotals.get(user) ?? 0;
  if (!user || !total) return null;
  let worst: { ip: string; count: number; total: number; firstUs: number } | null = null;
  for (const ip of new Set(hits.flatMap((h) => h.sourceIPs))) {
    const stat = ctx.profile.pairs.get(pairKey('user→sourceIP', user, ip));
    if (!stat || established(stat.count, total, stat.firstUs, stat.lastUs)) continue;
    if (!worst || stat.count < worst.count) worst = { ip, count: stat.count, total, firstUs: stat.firstUs };
  }
  return worst;
}

/**
 * Adjust a rule group's risk for what the case says about its actor: an all-day habit present
 * since the baseline is demoted (it is the cluster's normal, whatever the rule thinks), a hit from
 * a source the actor does not use is lifted. Both come with a reason so the analyst sees why.
 */
export function familiarity(ctx: FamiliarityContext | undefined, group: { ruleId: string; user: string; hits: HuntRuleHit[]; startUs: number }, risk: number): Familiarity {
  if (!ctx) return { risk, routine: 0, reasons: [] };
  const reasons: Reason[] = [];
  const hist = ctx.history.get(historyKey(group.ruleId, group.user));
  const src = unfamiliarSource(ctx, group.user, group.hits);
  // An actor with a usual address acting from another is not doing its habit, whatever the rule.
  const displaced = src !== null && ctx.settled.has(group.user);
  let routine = 0;
  let adjusted = risk;
  if (hist) {
    const hourly = hist.hours / ctx.spanHours / ROUTINE_FULL_SHARE;
    const daily = hist.days >= 2 ? hist.days / ctx.spanDays : 0;
    const share = Math.max(hourly * ROUTINE_FULL_SHARE, daily * ROUTINE_FULL_SHARE);
    // Known before this episode: in the baseline, or already on an earlier day (people start work
    // after a night-time baseline; their second day's habit is still a habit).
    const known = hist.firstUs < ctx.baselineEndUs || hist.firstDay < Math.floor(group.startUs / (24 * HOUR_US));
    if (known && !displaced && share >= ROUTINE_MIN_SHARE) {
      routine = Math.min(1, Math.max(hourly, daily));
      adjusted *= 1 - (1 - ROUTINE_FLOOR) * routine;
      reasons.push({
        kind: 'routine',
        text: `Routine for ${group.user || 'this actor'}: rule ${group.ruleId} fired ${hist.hits} times in ${hist.hours} of the case's ${ctx.spanHours} hours, on ${hist.days} of its ${ctx.spanDays} days, first ${atTimeText(hist.firstUs)}`,
        auditIDs: group.hits.slice(0, 5).map((h) => h.auditID),
      });
    } else if (hist.firstUs >= group.startUs && group.startUs >= ctx.baselineEndUs) {
      reasons.push({ kind: 'new-rule-actor', text: `First time rule ${group.ruleId} fires for ${group.user || 'this actor'} in the case`, auditIDs: [group.hits[0].auditID] });
    }
  }
  if (src) {
    adjusted = combineRisk(adjusted, UNFAMILIAR_RISK * (1 - routine));
    const cites = group.hits.filter((h) => h.sourceIPs.includes(src.ip)).slice(0, 5).map((h) => h.auditID);
    reasons.push({
      kind: 'unfamiliar-source',
      // An actor whose every request came in one short burst has no usual address to be away from: say that instead.
      text:
        src.count === src.total
          ? `No established source for ${group.user}: all ${src.total} of its requests in the case came from ${src.ip} in under an hour, ${atTimeText(src.firstUs, 'from')}`
          : `Unfamiliar source for ${group.user}: ${src.ip} sent ${src.count} of the user's ${src.total} requests in the case, first ${atTimeText(src.firstUs)}`,
      auditIDs: cites,
    });
  }
  reasons.push(...newcomers(ctx, group));
  return { risk: adjusted, routine, reasons };
}

const SA_USER = /^system:serviceaccount:([^:]+):[^:]+$/;
const NEW_LABEL: Partial<Record<NoveltyKind, string>> = { user: 'username', sourceIP: 'source IP', namespace: 'namespace' };

/**
 * The actor, its addresses and its service account's namespace when they first appear in the case
 * around this episode: what tells a new process (the talk's benign true positive) from a
 * displaced one, said on rule findings as the session explanations say it on anomalies.
 */
function newcomers(ctx: FamiliarityContext, group: { user: string; hits: HuntRuleHit[]; startUs: number }): Reason[] {
  const asks: [NoveltyKind, string][] = [];
  if (group.user) asks.push(['user', group.user]);
  const ns = SA_USER.exec(group.user)?.[1];
  if (ns) asks.push(['namespace', ns]);
  for (const ip of new Set(group.hits.flatMap((h) => h.sourceIPs))) asks.push(['sourceIP', ip]);
  const out: Reason[] = [];
  for (const [kind, value] of asks) {
    const first = ctx.profile.firstSeen.get(entityKey(kind, value));
    // Within the hour before the episode: a user who arrived two days ago is no longer new.
    if (!first || first.timeUs < group.startUs - HOUR_US) continue;
    out.push({ kind: `new-${kind}`, text: `New ${NEW_LABEL[kind]} ${value}: first seen in the case ${atTimeText(first.timeUs)}`, auditIDs: [first.auditID], nodes: [noveltyNode(kind, value)] });
  }
  return out;
}
