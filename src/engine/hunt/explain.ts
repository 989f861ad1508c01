import type { AuditEvent, Reason } from '../../shared/domain.ts';
import { noveltyNode } from './novelty-node.ts';
import { pairKey, pairsOf, sizePercentile, type CaseProfile, type NoveltyKind } from './profile.ts';
import type { EmbeddingSet, HuntRuleHit } from './types.ts';

/** A reason cites at most this many events; the finding itself lists them all. */
const MAX_CITES = 25;
/** A pair seen this many times or fewer in the whole case is rare. */
const RARE_PAIR_MAX = 2;

const NOVELTY_LABEL: Record<NoveltyKind, string> = {
  sourceIP: 'source IP',
  namespace: 'namespace',
  user: 'username',
  userAgent: 'user agent',
  resource: 'resource',
};

export interface ExplainContext {
  profile: CaseProfile;
  /** The session's own events (any order). */
  events: AuditEvent[];
  ruleHits: HuntRuleHit[];
  embeddings?: EmbeddingSet | null;
  /** Sessions flagged anomalous: excluded from "nearest normal". */
  anomalous?: Set<number>;
  /** Node occlusion results, when a model is there to re-embed (see occlusion.ts). */
  occlusion?: { label: string; type: string; drop: number }[];
}

const cite = (ids: Iterable<string>): string[] => [...new Set(ids)].slice(0, MAX_CITES);

/** Every reason the hunt can give for one session, strongest signals first within each kind. */
export function explainSession(sessionId: number, ctx: ExplainContext): Reason[] {
  const reasons: Reason[] = [];
  const { profile, events } = ctx;
  const byVerb = new Map<string, AuditEvent[]>();
  for (const e of events) {
    const list = byVerb.get(e.verb) ?? [];
    list.push(e);
    byVerb.set(e.verb, list);
  }
  if (byVerb.size) {
    // Rarest verbs first: a single delete in a session of gets is the thing to look at.
    const verbs = [...byVerb].sort((a, b) => (profile.verbTotals.get(a[0]) ?? 0) - (profile.verbTotals.get(b[0]) ?? 0) || a[0].localeCompare(b[0]));
    const parts = verbs.map(([v, list]) => `${v} ×${list.length} (${pct((profile.verbTotals.get(v) ?? 0) / Math.max(1, profile.totalEvents))} of the case)`);
    reasons.push({ kind: 'verbs', text: `Verbs: ${parts.join(', ')}`, auditIDs: cite(verbs[0][1].map((e) => e.auditID)) });
  }

  const size = sizePercentile(profile, sessionId);
  if (size.peers > 0) {
    reasons.push({
      kind: 'size',
      text: `${size.events} events: larger than or equal to ${size.percentile.toFixed(1)}% of the ${size.peers} sessions whose main verb is ${size.verb}`,
      auditIDs: cite(events.map((e) => e.auditID)),
      weight: size.percentile / 100,
    });
  }

  for (const n of profile.sessions.get(sessionId)?.novel ?? []) {
    reasons.push({ kind: `new-${n.kind}`, text: `New ${NOVELTY_LABEL[n.kind]} ${n.value}: first seen in the case in this session`, auditIDs: [n.auditID], nodes: [noveltyNode(n.kind, n.value, events.find((e) => e.auditID === n.auditID))] });
  }

  const rare = new Map<string, { text: string; count: number; ids: string[] }>();
  for (const e of events) {
    for (const [kind, a, b] of pairsOf(e)) {
      const key = pairKey(kind, a, b);
      const stat = profile.pairs.get(key);
      if (!stat || stat.count > RARE_PAIR_MAX || rare.has(key)) continue;
      rare.set(key, { text: `Rare pair ${kind.replace('→', ' → ')}: ${a} → ${b}, ${stat.count} time${stat.count === 1 ? '' : 's'} in the case`, count: stat.count, ids: stat.auditIDs });
    }
  }
  for (const r of [...rare.values()].sort((a, b) => a.count - b.count).slice(0, 10)) reasons.push({ kind: 'rare-pair', text: r.text, auditIDs: cite(r.ids) });

  for (const o of ctx.occlusion ?? []) {
    const ids = events.filter((e) => eventMentions(e, o.label)).map((e) => e.auditID);
    reasons.push({ kind: 'occlusion', text: `Node ${o.type} ${o.label} drove the score: removing it lowers it by ${o.drop.toFixed(3)}`, auditIDs: cite(ids), weight: o.drop, nodes: [{ type: o.type, label: o.label, weight: o.drop }] });
  }

  const near = nearestNormal(sessionId, ctx.embeddings ?? null, ctx.anomalous ?? new Set([sessionId]), 3);
  if (near.length) {
    reasons.push({
      kind: 'nearest-normal',
      text: `Nearest normal sessions: ${near.map((n) => `#${n.sessionId} (distance ${n.distance.toFixed(3)})`).join(', ')}`,
      auditIDs: [],
    });
  }

  const byRule = new Map<string, HuntRuleHit[]>();
  for (const h of ctx.ruleHits) byRule.set(h.ruleId, [...(byRule.get(h.ruleId) ?? []), h]);
  for (const [ruleId, hits] of byRule) {
    const t = hits[0].techniques.length ? ` [${hits[0].techniques.join(', ')}]` : '';
    reasons.push({ kind: 'rule-hit', text: `Rule ${ruleId} "${hits[0].title}"${t} fired ${hits.length} time${hits.length === 1 ? '' : 's'}`, auditIDs: cite(hits.map((h) => h.auditID)) });
  }
  return reasons;
}

/** Euclidean nearest sessions not flagged anomalous. Shapes: embeddings.data [S, dim]. */
export function nearestNormal(sessionId: number, emb: EmbeddingSet | null, anomalous: Set<number>, k: number): { sessionId: number; distance: number }[] {
  if (!emb) return [];
  const row = emb.sessionIds.indexOf(sessionId);
  if (row < 0) return [];
  const d = emb.dim;
  const out: { sessionId: number; distance: number }[] = [];
  for (let i = 0; i < emb.sessionIds.length; i++) {
    if (i === row || anomalous.has(emb.sessionIds[i])) continue;
    let sum = 0;
    for (let j = 0; j < d; j++) {
      const diff = emb.data[i * d + j] - emb.data[row * d + j];
      sum += diff * diff;
    }
    out.push({ sessionId: emb.sessionIds[i], distance: Math.sqrt(sum) });
  }
  return out.sort((a, b) => a.distance - b.distance || a.sessionId - b.sessionId).slice(0, k);
}

function eventMentions(e: AuditEvent, label: string): boolean {
  // Object nodes are request paths with names generalised to '~' by the session builder.
  if (label.startsWith('/')) {
    const prefix = label.split('~')[0];
    if (prefix.length > 1 && e.requestURI.startsWith(prefix)) return true;
  }
  return e.user === label || e.sourceIPs.includes(label) || e.resource === label || e.namespace === label || e.name === label || e.verb === label || e.decision === label || e.groups.includes(label);
}

const pct = (x: number): string => (x >= 0.01 ? `${(100 * x).toFixed(1)}%` : `${(100 * x).toFixed(3)}%`);
