import type { AuditEvent } from '../../shared/domain.ts';
import type { HuntSession } from './types.ts';

/** Entity kinds whose first appearance in a case is worth telling the analyst about (the talk's questions). */
export const NOVELTY_KINDS = ['sourceIP', 'namespace', 'user', 'userAgent', 'resource'] as const;
export type NoveltyKind = (typeof NOVELTY_KINDS)[number];

/** Entity pairs whose rarity is worth telling: who touched what, from where. */
export const PAIR_KINDS = ['user→resource', 'user→sourceIP'] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

export interface FirstSeen {
  kind: NoveltyKind;
  value: string;
  timeUs: number;
  auditID: string;
}

export interface PairStat {
  count: number;
  firstUs: number;
  lastUs: number;
  /** The first few events with this pair: enough to cite, bounded so a common pair costs little. */
  auditIDs: string[];
}

export interface SessionStats {
  events: number;
  verbs: Map<string, number>;
  /** Entities whose first appearance in the case (after the baseline) is in this session. */
  novel: FirstSeen[];
}

/**
 * One time-ordered pass over a case's events: first-seen times of entities, pair counts, verb
 * totals, and per-session sizes and verbs. Everything the explanations and the context features
 * need that is not in the session itself.
 */
export interface CaseProfile {
  totalEvents: number;
  startUs: number;
  endUs: number;
  /** Entities first seen before this time are part of the baseline and never reported as new. */
  baselineEndUs: number;
  verbTotals: Map<string, number>;
  /** Events per username: the denominator when asking how usual one of a user's source IPs is. */
  userTotals: Map<string, number>;
  pairs: Map<string, PairStat>;
  /** Entities first seen after the baseline, by `${kind}\0${value}`: rule findings cite them too. */
  firstSeen: Map<string, FirstSeen>;
  sessions: Map<number, SessionStats>;
}

export const entityKey = (kind: NoveltyKind, value: string): string => `${kind}\u0000${value}`;

const PAIR_CITES = 5;

export const pairKey = (kind: PairKind, a: string, b: string): string => `${kind}\u0000${a}\u0000${b}`;

const SA_USER = /^system:serviceaccount:([^:]+):[^:]+$/;

export function entitiesOf(e: AuditEvent): [NoveltyKind, string][] {
  const out: [NoveltyKind, string][] = [];
  for (const ip of e.sourceIPs) out.push(['sourceIP', ip]);
  if (e.namespace) out.push(['namespace', e.namespace]);
  // A service account's username names its namespace: a new namespace whose only trace is the
  // account acting from it (cluster-scoped lists, a create whose name is in the body) still counts.
  const sa = SA_USER.exec(e.user);
  if (sa && sa[1] !== e.namespace) out.push(['namespace', sa[1]]);
  if (e.resource === 'namespaces' && e.name && e.name !== e.namespace) out.push(['namespace', e.name]);
  if (e.user) out.push(['user', e.user]);
  if (e.userAgent) out.push(['userAgent', e.userAgent]);
  if (e.resource) out.push(['resource', e.subresource ? `${e.resource}/${e.subresource}` : e.resource]);
  return out;
}

export function pairsOf(e: AuditEvent): [PairKind, string, string][] {
  const out: [PairKind, string, string][] = [];
  if (!e.user) return out;
  if (e.resource) out.push(['user→resource', e.user, e.subresource ? `${e.resource}/${e.subresource}` : e.resource]);
  for (const ip of e.sourceIPs) out.push(['user→sourceIP', e.user, ip]);
  return out;
}

export interface ProfileOptions {
  /**
   * Share of the case's time span treated as baseline. Without one, everything in the first
   * session is "new", which says nothing. 0.1 of the span: a day-long bundle learns for 2.4 h.
   */
  baselineFraction?: number;
  /** Case time span, when known up front (from the store); otherwise the same pass finds it. */
  spanUs?: { startUs: number; endUs: number };
}

/**
 * Build the profile in one pass over `events` (time order). Reading the case's events is most of
 * the hunt's cost (a 674K-event case: ~12 CPU-s a pass, bench:pipeline), so the span is not found
 * by a pass of its own: every entity's first appearance is kept during the pass, and which of them
 * fall after the baseline is decided once the span is known. Entities are few beside events.
 */
export function buildProfile(sessions: HuntSession[], events: () => Iterable<AuditEvent>, options: ProfileOptions = {}): CaseProfile {
  const sessionOf = new Map<string, number>();
  for (const s of sessions) for (const id of s.auditIDs) sessionOf.set(id, s.id);
  const profile: CaseProfile = { totalEvents: 0, startUs: 0, endUs: 0, baselineEndUs: 0, verbTotals: new Map(), userTotals: new Map(), pairs: new Map(), firstSeen: new Map(), sessions: new Map() };
  for (const s of sessions) profile.sessions.set(s.id, { events: 0, verbs: new Map(), novel: [] });
  const firsts: { key: string; first: FirstSeen; stats: SessionStats | undefined }[] = [];
  const seen = new Set<string>();
  let lastUs = -Infinity;
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const e of events()) {
    if (e.timeUs < lastUs) throw new Error('buildProfile: events must arrive in time order (first-seen tracking depends on it)');
    lastUs = e.timeUs;
    // An undated event (kept at time 0, 'time' in missing) says nothing about the case's span:
    // counted in, it would stretch the baseline over decades and call every entity new.
    if (!e.missing.includes('time')) {
      if (e.timeUs < startUs) startUs = e.timeUs;
      if (e.timeUs > endUs) endUs = e.timeUs;
    }
    profile.totalEvents++;
    profile.verbTotals.set(e.verb, (profile.verbTotals.get(e.verb) ?? 0) + 1);
    if (e.user) profile.userTotals.set(e.user, (profile.userTotals.get(e.user) ?? 0) + 1);
    const sid = sessionOf.get(e.auditID);
    const stats = sid === undefined ? undefined : profile.sessions.get(sid);
    if (stats) {
      stats.events++;
      stats.verbs.set(e.verb, (stats.verbs.get(e.verb) ?? 0) + 1);
    }
    for (const [kind, value] of entitiesOf(e)) {
      const key = entityKey(kind, value);
      if (seen.has(key)) continue;
      seen.add(key);
      firsts.push({ key, first: { kind, value, timeUs: e.timeUs, auditID: e.auditID }, stats });
    }
    for (const [kind, a, b] of pairsOf(e)) {
      const key = pairKey(kind, a, b);
      const p = profile.pairs.get(key);
      if (!p) profile.pairs.set(key, { count: 1, firstUs: e.timeUs, lastUs: e.timeUs, auditIDs: [e.auditID] });
      else {
        p.count++;
        p.lastUs = e.timeUs;
        if (p.auditIDs.length < PAIR_CITES) p.auditIDs.push(e.auditID);
      }
    }
  }
  const span = options.spanUs ?? { startUs: Number.isFinite(startUs) ? startUs : 0, endUs: Number.isFinite(endUs) ? endUs : 0 };
  profile.startUs = span.startUs;
  profile.endUs = span.endUs;
  profile.baselineEndUs = span.startUs + (span.endUs - span.startUs) * (options.baselineFraction ?? 0.1);
  // In event order, as the pass met them: a session's novel list reads in time order.
  for (const { key, first, stats } of firsts) {
    if (first.timeUs < profile.baselineEndUs) continue;
    profile.firstSeen.set(key, first);
    stats?.novel.push(first);
  }
  return profile;
}

/** The verb a session is mostly made of (ties: alphabetical, so results do not depend on insertion order). */
export function mainVerb(stats: SessionStats): string | null {
  let best: string | null = null;
  let n = -1;
  for (const [verb, c] of [...stats.verbs].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (c > n) {
      best = verb;
      n = c;
    }
  }
  return best;
}

/** Percentile (0–100) of a session's size among sessions with the same main verb, and the peer count. */
export function sizePercentile(profile: CaseProfile, sessionId: number): { verb: string | null; percentile: number; peers: number; events: number } {
  const own = profile.sessions.get(sessionId);
  if (!own) return { verb: null, percentile: 0, peers: 0, events: 0 };
  const verb = mainVerb(own);
  let peers = 0;
  let notLarger = 0;
  for (const s of profile.sessions.values()) {
    if (s.events === 0 || mainVerb(s) !== verb) continue;
    peers++;
    if (s.events <= own.events) notLarger++;
  }
  return { verb, percentile: peers ? (100 * notLarger) / peers : 0, peers, events: own.events };
}
