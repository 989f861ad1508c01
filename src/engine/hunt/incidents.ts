import { createHash } from 'node:crypto';
import type { AuditEvent, IncidentLink, IncidentRecord, Reason, Severity, StorylineStep } from '../../shared/domain.ts';
import { describeEvent } from '../events/describe.ts';
import { actingUser } from '../sessions/spec.ts';
import { linksOf, linkText, type LinkEvent } from './links.ts';
import { maxSeverity, severityOf } from './risk.ts';
import { TACTIC_ORDER, tacticsOf } from './tactics.ts';
import { usToRfc3339 } from './time.ts';
import type { Finding } from './types.ts';

/**
 * Incidents: what one actor did in one episode, and what is tied to it by a handed-over identity
 * or a shared address. Findings are split by the identity of each event they cite (so a finding
 * never lends its score to a bystander), grouped per actor into episodes, and episodes are joined
 * when one actor minted a token for, created, granted or impersonated another that then acted, or
 * when two actors used one address that almost nobody else used.
 */

export interface IncidentOptions {
  /** An actor's findings further apart than this are separate episodes. 2 h: one working session. */
  episodeGapUs?: number;
  /** A handed-over identity's episode joins when it starts within this time of the hand-over. 24 h. */
  linkWindowUs?: number;
  /** An address joins two identities only when at most this many identities used it in the whole case. */
  sharedIpMaxUsers?: number;
  /** Storyline steps kept per incident (the incident's auditIDs keep every cited event). */
  maxSteps?: number;
}

export interface IncidentInput {
  findings: Finding[];
  getEvents(auditIDs: string[]): AuditEvent[];
  /** Identities per source address across the case (for shared-address joins). */
  usersOfIp(ip: string): number;
  /**
   * Whether the address is a node's own (a kubelet used it): everything with host networking on
   * that node shares it by design, so it joins no one. Optional: without it no address is.
   */
  isNodeAddress?(ip: string): boolean;
}

export type Incident = IncidentRecord & { startUs: number; endUs: number };

const HOUR = 3600e6;
/** Reasons that describe a whole session (its size, its verbs, its nearest normal one) and so attribute nothing to anyone in it. */
const CONTEXT_REASONS = new Set(['size', 'verbs', 'nearest-normal']);
/** What a finding lends an actor none of its reasons cite: present in the session, nothing more. */
const BYSTANDER = 0.25;

interface Atom {
  finding: Finding;
  actor: string;
  events: AuditEvent[];
  startUs: number;
  endUs: number;
  /** What the finding says about this actor: its whole score, or less for a bystander's share of a mixed session. */
  score: number;
}

interface Episode {
  actor: string;
  atoms: Atom[];
  startUs: number;
  endUs: number;
}

class UnionFind {
  private parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    const [x, y] = [this.find(a), this.find(b)];
    if (x !== y) this.parent[Math.max(x, y)] = Math.min(x, y);
  }
}

/** Split each finding by acting identity: attribution follows the events, never the finding's user list. */
function atomsOf(findings: Finding[], getEvents: IncidentInput['getEvents']): Atom[] {
  const atoms: Atom[] = [];
  for (const f of findings) {
    const byActor = new Map<string, AuditEvent[]>();
    for (const e of getEvents(f.auditIDs)) {
      const a = actingUser(e);
      const list = byActor.get(a);
      if (list) list.push(e);
      else byActor.set(a, [e]);
    }
    // A finding about a session that mixes actors (the seed preset's cluster minute) speaks of
    // the actors whose events its reasons cite; the others were only there: a bystander's lease
    // renewals do not make it a suspect. The only actor, or a cited one, carries the whole score;
    // when the reasons cite no one, every actor gets a bystander's share.
    // When some actors are cited, the others get no piece at all: they are in no incident of it.
    const cited = new Set(f.reasons.filter((r) => !CONTEXT_REASONS.has(r.kind)).flatMap((r) => r.auditIDs));
    const isCited = (events: AuditEvent[]): boolean => events.some((e) => cited.has(e.auditID));
    const anyCited = [...byActor.values()].some(isCited);
    for (const [actor, events] of byActor) {
      events.sort((x, y) => x.timeUs - y.timeUs);
      const whole = byActor.size === 1 || isCited(events);
      if (!whole && anyCited) continue;
      const score = whole ? f.score : Math.round(f.score * BYSTANDER * 1e4) / 1e4;
      atoms.push({ finding: f, actor, events, startUs: events[0].timeUs, endUs: events[events.length - 1].timeUs, score });
    }
  }
  return atoms;
}

function episodesOf(atoms: Atom[], gapUs: number): Episode[] {
  const byActor = new Map<string, Atom[]>();
  for (const a of atoms) pushTo(byActor, a.actor, a);
  const out: Episode[] = [];
  for (const [actor, list] of [...byActor].sort((x, y) => x[0].localeCompare(y[0]))) {
    list.sort((x, y) => x.startUs - y.startUs || x.finding.id.localeCompare(y.finding.id));
    let cur: Episode | null = null;
    for (const a of list) {
      if (!cur || a.startUs > cur.endUs + gapUs) out.push((cur = { actor, atoms: [], startUs: a.startUs, endUs: a.endUs }));
      cur.atoms.push(a);
      cur.endUs = Math.max(cur.endUs, a.endUs);
    }
  }
  return out;
}

const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

/** Appends to the list under `key` (made on first use): grouping in one pass, no copy per item. */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Score of an incident: its strongest finding, lifted a little by each further independent one. */
function incidentScore(scores: number[]): number {
  const s = [...scores].sort((a, b) => b - a);
  let miss = 1 - (s[0] ?? 0);
  // Further findings count at 30%: two medium findings of one episode outrank either, but ten
  // low ones never outrank one critical.
  for (const x of s.slice(1, 4)) miss *= 1 - 0.3 * x;
  return Math.round((1 - miss) * 1e4) / 1e4;
}

function objectOf(e: AuditEvent): string | null {
  if (!e.resource || !e.name) return null;
  return `${e.subresource ? `${e.resource}/${e.subresource}` : e.resource} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`;
}

/** Build incidents from a hunt's findings, riskiest first. */
export function buildIncidents(input: IncidentInput, options: IncidentOptions = {}): Incident[] {
  const gapUs = options.episodeGapUs ?? 2 * HOUR;
  const linkWindowUs = options.linkWindowUs ?? 24 * HOUR;
  const sharedMax = options.sharedIpMaxUsers ?? 3;
  const maxSteps = options.maxSteps ?? 60;
  const episodes = episodesOf(atomsOf(input.findings, input.getEvents), gapUs);
  const uf = new UnionFind(episodes.length);
  const links: { link: IncidentLink; a: number; b: number }[] = [];
  const byActor = new Map<string, number[]>();
  episodes.forEach((ep, i) => pushTo(byActor, ep.actor, i));

  // Hand-overs: the receiving identity's episode that starts near or after the hand-over joins.
  episodes.forEach((ep, i) => {
    const seen = new Set<string>();
    for (const atom of ep.atoms) {
      for (const e of atom.events) {
        for (const l of linksOf(e)) {
          const key = `${l.kind}\u0000${l.to}`;
          if (seen.has(key)) continue;
          // Impersonation: the event sits in the impersonated identity's episode; join the impersonator's.
          const other = l.kind === 'impersonation' ? l.from : l.to;
          for (const j of byActor.get(other) ?? []) {
            if (j === i) continue;
            const t = episodes[j];
            const near = l.kind === 'impersonation' ? t.startUs <= l.timeUs + HOUR && t.endUs >= l.timeUs - HOUR : t.endUs >= l.timeUs - HOUR && t.startUs <= l.timeUs + linkWindowUs;
            if (!near) continue;
            seen.add(key);
            uf.union(i, j);
            links.push({ link: toLink(l), a: i, b: j });
          }
        }
      }
    }
  });

  // Shared addresses: two identities, one address that (almost) nobody else in the case used.
  const ipEpisodes = new Map<string, number[]>();
  episodes.forEach((ep, i) => {
    for (const ip of uniq(ep.atoms.flatMap((a) => a.events.flatMap((e) => e.sourceIPs)))) pushTo(ipEpisodes, ip, i);
  });
  for (const [ip, list] of ipEpisodes) {
    const actors = uniq(list.map((i) => episodes[i].actor));
    if (actors.length < 2 || input.usersOfIp(ip) > sharedMax || input.isNodeAddress?.(ip)) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [a, b] = [episodes[list[x]], episodes[list[y]]];
        if (a.actor === b.actor) continue;
        if (a.startUs > b.endUs + linkWindowUs || b.startUs > a.endUs + linkWindowUs) continue;
        uf.union(list[x], list[y]);
        const ids = uniq([...a.atoms, ...b.atoms].flatMap((t) => t.events.filter((e) => e.sourceIPs.includes(ip)).map((e) => e.auditID))).slice(0, 10);
        links.push({ link: { kind: 'shared-ip', from: a.actor, to: b.actor, text: `${a.actor} and ${b.actor} both used ${ip}, an address only ${input.usersOfIp(ip)} identities used in the whole case`, auditIDs: ids }, a: list[x], b: list[y] });
      }
    }
  }

  const groups = new Map<number, number[]>();
  episodes.forEach((_, i) => {
    const r = uf.find(i);
    pushTo(groups, r, i);
  });
  const incidents: Incident[] = [];
  for (const [root, members] of groups) {
    const eps = members.map((i) => episodes[i]);
    const atoms = eps.flatMap((e) => e.atoms);
    const myLinks = links.filter((l) => uf.find(l.a) === root).map((l) => l.link);
    incidents.push(assemble(atoms, myLinks, input, maxSteps));
  }
  return incidents.sort((a, b) => b.score - a.score || a.startUs - b.startUs || a.id.localeCompare(b.id));
}

function toLink(l: LinkEvent): IncidentLink {
  return { kind: l.kind, from: l.from, to: l.to, text: linkText(l), auditIDs: [l.auditID] };
}

function assemble(atoms: Atom[], links: IncidentLink[], input: IncidentInput, maxSteps: number): Incident {
  const findings = uniq(atoms.map((a) => a.finding));
  const eventsById = new Map<string, AuditEvent>();
  for (const a of atoms) for (const e of a.events) eventsById.set(e.auditID, e);
  const linkIds = links.flatMap((l) => l.auditIDs).filter((id) => !eventsById.has(id));
  for (const e of input.getEvents(linkIds)) eventsById.set(e.auditID, e);
  const events = [...eventsById.values()].sort((a, b) => a.timeUs - b.timeUs || a.auditID.localeCompare(b.auditID));
  // Exact attribution: the identities in the events the incident cites (the impersonator too).
  const users = uniq(events.flatMap((e) => (e.impersonatedUser ? [e.impersonatedUser, e.user] : [e.user])).filter(Boolean)).sort();
  // Per finding, what it says about this incident's actors (its best piece here).
  const scoreOf = new Map<Finding, number>();
  for (const a of atoms) scoreOf.set(a.finding, Math.max(scoreOf.get(a.finding) ?? 0, a.score));
  const score = incidentScore([...scoreOf.values()]);
  // A finding lends its severity only where it speaks of these actors in full.
  const severity = findings.filter((f) => scoreOf.get(f) === f.score).map((f) => f.severity).reduce<Severity>(maxSeverity, severityOf(score));

  // Why each event is in the story: the reasons (and rule hits) that cite it.
  const why = new Map<string, { texts: Set<string>; findings: Set<string>; techniques: Set<string> }>();
  const note = (id: string, text: string, finding: string, techniques: string[]): void => {
    if (!eventsById.has(id)) return;
    let w = why.get(id);
    if (!w) why.set(id, (w = { texts: new Set(), findings: new Set(), techniques: new Set() }));
    w.texts.add(text);
    w.findings.add(finding);
    for (const t of techniques) w.techniques.add(t);
  };
  for (const f of findings) {
    for (const r of f.reasons) {
      const techniques = r.techniques ?? (r.kind === 'rule-hit' ? f.techniques : []);
      for (const id of r.auditIDs) note(id, r.text, f.id, techniques);
    }
  }
  for (const l of links) for (const id of l.auditIDs) note(id, l.text, '', []);
  const techniques = uniq([...findings.flatMap((f) => f.techniques), ...[...why.values()].flatMap((w) => [...w.techniques])]).sort();
  const tactics = uniq(techniques.flatMap(tacticsOf)).sort((a, b) => TACTIC_ORDER.indexOf(a) - TACTIC_ORDER.indexOf(b));

  // Key events: those a reason cites, first and last always; past the cap, the most-cited.
  let keyIds = events.filter((e) => why.has(e.auditID)).map((e) => e.auditID);
  if (keyIds.length === 0) keyIds = events.map((e) => e.auditID);
  if (keyIds.length > maxSteps) {
    const keep = new Set([keyIds[0], keyIds[keyIds.length - 1]]);
    const ranked = [...keyIds].sort((a, b) => (why.get(b)?.texts.size ?? 0) - (why.get(a)?.texts.size ?? 0));
    for (const id of ranked) {
      if (keep.size >= maxSteps) break;
      keep.add(id);
    }
    keyIds = keyIds.filter((id) => keep.has(id));
  }
  const storyline: StorylineStep[] = keyIds.map((id) => {
    const e = eventsById.get(id)!;
    const d = describeEvent(e);
    const w = why.get(id);
    const stepTechniques = [...(w?.techniques ?? [])].sort();
    return {
      time: usToRfc3339(e.timeUs),
      auditID: id,
      user: actingUser(e),
      sourceIPs: e.sourceIPs,
      verb: e.verb,
      target: d.target,
      summary: d.summary,
      outcome: d.outcome,
      tactics: uniq(stepTechniques.flatMap(tacticsOf)),
      techniques: stepTechniques,
      findingIds: [...(w?.findings ?? [])].filter(Boolean).sort(),
      why: [...(w?.texts ?? [])],
    };
  });

  const top = [...findings].sort((a, b) => b.score - a.score)[0];
  const actors = uniq(atoms.map((a) => a.actor));
  const lead = top ? atoms.find((a) => a.finding === top)?.actor ?? actors[0] : actors[0];
  const others = actors.filter((a) => a !== lead);
  const tacticText = tactics.length ? tactics.slice(0, 3).join(', ') : 'unusual activity';
  const title = `${lead || '(no user)'}${others.length ? ` and ${others.length} linked identit${others.length === 1 ? 'y' : 'ies'}` : ''}: ${tacticText} — ${top?.title ?? ''}`.slice(0, 300);
  const reasons: Reason[] = [...links.map((l) => ({ kind: `link-${l.kind}`, text: l.text, auditIDs: l.auditIDs })), ...topReasons(findings)];
  const startUs = events[0]?.timeUs ?? 0;
  const endUs = events[events.length - 1]?.timeUs ?? 0;
  const firstId = events[0]?.auditID ?? '';
  return {
    id: `I-${createHash('sha256').update(`${[...actors].sort().join('\n')}\n${firstId}`).digest('hex').slice(0, 10)}`,
    title,
    start: usToRfc3339(startUs),
    end: usToRfc3339(endUs),
    startUs,
    endUs,
    score,
    severity,
    tactics,
    techniques,
    users,
    sourceIPs: uniq(events.flatMap((e) => e.sourceIPs)).sort(),
    namespaces: uniq(events.flatMap((e) => (e.namespace ? [e.namespace] : []))).sort(),
    objects: uniq(events.flatMap((e) => objectOf(e) ?? [])).slice(0, 200),
    auditIDs: events.map((e) => e.auditID),
    findings: [...findings].sort((a, b) => b.score - a.score).map((f) => f.id),
    links,
    storyline,
    reasons,
  };
}

/** The incident's own reasons: the strongest of each kind across its findings, rule hits first. */
function topReasons(findings: Finding[]): Reason[] {
  const best = new Map<string, Reason>();
  for (const f of [...findings].sort((a, b) => b.score - a.score)) {
    for (const r of f.reasons) {
      const key = r.kind === 'rule-hit' ? `rule:${r.text}` : r.kind;
      const prev = best.get(key);
      if (!prev || (r.weight ?? 0) > (prev.weight ?? 0)) best.set(key, r);
    }
  }
  const list = [...best.values()];
  return [...list.filter((r) => r.kind === 'rule-hit'), ...list.filter((r) => r.kind !== 'rule-hit').sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0))].slice(0, 12);
}
