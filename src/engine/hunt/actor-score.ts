import type { Reason } from '../../shared/domain.ts';
import { baselineSignals, type SessionBaseline, type Signal } from './actor-baseline.ts';
import { peerGroupLabel } from './peers.ts';
import type { EmbeddingSet } from './types.ts';
import { actorVerdicts, type Verdict } from './actor-verdict.ts';

/**
 * An actor session's score from its evidence: the baseline's signals (what it did that it, its
 * peers or the case never did), the model's (how far its embedding lies from the actor's own past
 * or, for a newcomer, from its peers; whether its nearest sessions in embedding space belong to
 * identities outside its own peer group; whether an 'actor'-objective model, asked whose session
 * it is, names a stranger; how isolated the forest finds it in the whole case). The
 * model's evidence counts in full when the baseline's agrees, at half when it stands alone.
 *
 * Evidence adds up in units (a new image registry is 2, a first sensitive action 1.5, a first
 * write in a namespace 1…; actor-baseline.ts says why each) and becomes a risk in [0, 1) by
 * 1 − exp(−E / 2.5): one strong novelty is ~0.5, three independent ones ~0.8. The risk sits on the
 * same scale as a rule's (a high rule is 0.65), so both kinds of evidence rank together.
 */
export const EVIDENCE_SCALE = 2.5;
export const riskOf = (evidence: number): number => 1 - Math.exp(-evidence / EVIDENCE_SCALE);

export interface ModelView {
  embeddings: EmbeddingSet;
  /** Isolation Forest scores of the sessions (the whole case's view), and the flagging threshold. */
  forest?: { scores: Map<number, number>; threshold: number };
  /**
   * Whether the actor model's own answer (`embeddings.actorClasses`) counts as `not-its-actor`
   * evidence; default true (the hunt's option decides what the product does: hunt.ts).
   */
  notItsActor?: boolean;
}

export interface ScoredSession {
  sessionId: number;
  risk: number;
  evidence: number;
  reasons: Reason[];
  /** Evidence from the model alone (embedding distances and forest); the rest is the baseline's. */
  modelEvidence: number;
}

/** Sessions of one actor kept to compare a new one with: the recent past says most about habit. */
const OWN_PAST = 48;
/** A distance this many times the group's typical one starts to count; 4× counts fully. */
const DISTANCE_FLOOR = 1.5;
/** Baseline evidence from which the model's agreement counts in full. */
const CORROBORATED = 0.3;
/** Share of the model's evidence that counts when nothing else about the session is unusual. */
const MODEL_ALONE = 0.5;
/**
 * Nearest earlier sessions (anyone's) asked whose work a session resembles. Ten: enough that one
 * odd neighbour does not decide, few enough that an identity with a few sessions' history can
 * fill them.
 */
const NEIGHBOURS = 10;
/** An identity needs this many earlier sessions before "unlike its own" means anything. */
const OWN_MIN = 3;
/**
 * Earlier sessions searched for neighbours, the latest first: about a day of a mid-size
 * cluster's actor sessions (a 3-day scale-1 simulated case has ~1,800), and a bound on the cost
 * (pool × 64 multiply-adds a session).
 */
const NEIGHBOUR_POOL = 2000;
/**
 * Share of the expected kin neighbours that must be strangers' before it counts (5 of 10).
 * Measured on three simulated seeds (docs/quality.md): at this floor 20–23 sessions a case fire
 * and 7–11 of them are attacks'.
 */
const UNLIKE_FLOOR = 0.5;
/**
 * `not-its-actor` fires when the actor model, shown what a session touched but not who acted,
 * gives a single identity outside the session's kin (its own identity and its peer group's, as
 * for unlike-own-work) at least this many times the probability of all its kin together: the
 * classifier would name a stranger, and by a clear margin, not a coin toss between two. Counts
 * 0.5 there, rising to 1 at four times this ratio. A statement about any classifier's softmax,
 * not about a scenario: chosen by counting firing sessions on simulated seeds 21, 31 and 47 only
 * (docs/quality.md, "The actor model's own verdict").
 */
const STRANGER_ODDS = 2;
/** Strangers a model reason (unlike-own-work, not-its-actor) names at most, the likeliest first. */
const STRANGERS_NAMED = 3;
/** Events a model reason cites at most (as the baseline's reasons). */
const MAX_CITES = 25;

function dist(data: Float32Array, dim: number, i: number, j: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) {
    const d = data[i * dim + k] - data[j * dim + k];
    s += d * d;
  }
  return Math.sqrt(s);
}

const median = (xs: number[]): number => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * Distance of each session's embedding to the nearest of its actor's earlier sessions (or, for a
 * newcomer, of its peer group's), divided by the median such distance in its peer group: 1 is
 * usual, 4 is far from anything this actor (or anyone like it) did before.
 */
export function embeddingDistances(baselines: SessionBaseline[], emb: EmbeddingSet): Map<number, { ratio: number; against: 'own' | 'peers' }> {
  const row = new Map<number, number>();
  emb.sessionIds.forEach((id, i) => row.set(id, i));
  const sorted = baselines.filter((b) => row.has(b.sessionId)).sort((a, b) => a.startUs - b.startUs || a.sessionId - b.sessionId);
  const byActor = new Map<string, number[]>();
  const byPeers = new Map<string, number[]>();
  const raw = new Map<number, { d: number; against: 'own' | 'peers'; group: string }>();
  for (const b of sorted) {
    const i = row.get(b.sessionId)!;
    const own = byActor.get(b.actor) ?? [];
    const peers = byPeers.get(b.peers) ?? [];
    const pool = own.length ? own.slice(-OWN_PAST) : peers.slice(-4 * OWN_PAST);
    if (pool.length) {
      let best = Infinity;
      for (const j of pool) best = Math.min(best, dist(emb.data, emb.dim, i, j));
      raw.set(b.sessionId, { d: best, against: own.length ? 'own' : 'peers', group: b.peers });
    }
    own.push(i);
    byActor.set(b.actor, own);
    peers.push(i);
    byPeers.set(b.peers, peers);
  }
  const typical = new Map<string, number>();
  const all: number[] = [];
  const perGroup = new Map<string, number[]>();
  for (const r of raw.values()) {
    all.push(r.d);
    const ds = perGroup.get(r.group);
    if (ds) ds.push(r.d);
    else perGroup.set(r.group, [r.d]);
  }
  const caseTypical = median(all);
  for (const [g, ds] of perGroup) typical.set(g, ds.length >= 20 ? median(ds) : caseTypical);
  const out = new Map<number, { ratio: number; against: 'own' | 'peers' }>();
  for (const [id, r] of raw) {
    const t = typical.get(r.group) || caseTypical;
    out.set(id, { ratio: t > 0 ? r.d / t : 0, against: r.against });
  }
  return out;
}

export interface Resemblance {
  /** Share of the kin sessions expected among the nearest (min(NEIGHBOURS, kin history)) that are strangers': 0 usual, 1 none. */
  missing: number;
  /** Nearest sessions of the same identity or its peer group (kin), and how many could have been. */
  kin: number;
  expected: number;
  /** The strangers (identities outside the peer group) among the nearest, most frequent first. */
  strangers: [string, number][];
}

/**
 * Whose work each session resembles: among the NEIGHBOURS nearest of the NEIGHBOUR_POOL latest
 * earlier sessions in embedding space, how many are kin (its own identity's or its peer
 * group's), against how many could be (kin sessions in the pool, at most NEIGHBOURS). Sessions
 * of identities with fewer than OWN_MIN earlier sessions are not asked (a newcomer has its own
 * signals). An embedding trained to tell identities apart by what their sessions touch
 * (model/objective.ts, 'actor') puts an identity's sessions together and its peers' near them,
 * so a session whose neighbours are strangers' is unlike its kind of identity's work: "this does
 * not look like alice, it looks like a controller". Kin and not the identity alone, because
 * people share work with people and kubelets with kubelets: resembling a colleague is ordinary
 * (on three simulated seeds, counting only the identity's own doubled the sessions that fire
 * without one more attack among them).
 */
export function actorResemblance(baselines: SessionBaseline[], emb: EmbeddingSet): Map<number, Resemblance> {
  const row = new Map<number, number>();
  emb.sessionIds.forEach((id, i) => row.set(id, i));
  const sorted = baselines.filter((b) => row.has(b.sessionId)).sort((a, b) => a.startUs - b.startUs || a.sessionId - b.sessionId);
  const past: { i: number; actor: string; peers: string }[] = [];
  const out = new Map<number, Resemblance>();
  for (const b of sorted) {
    const i = row.get(b.sessionId)!;
    const pool = past.slice(-NEIGHBOUR_POOL);
    const isKin = (p: { actor: string; peers: string }): boolean => p.actor === b.actor || p.peers === b.peers;
    let own = 0;
    let kinHistory = 0;
    for (const p of pool) {
      if (p.actor === b.actor) own++;
      if (isKin(p)) kinHistory++;
    }
    if (own >= OWN_MIN) {
      const near = pool.map((p) => ({ d: dist(emb.data, emb.dim, i, p.i), p })).sort((x, y) => x.d - y.d).slice(0, NEIGHBOURS);
      const expected = Math.min(NEIGHBOURS, kinHistory);
      const kin = near.filter((n) => isKin(n.p)).length;
      const counts = new Map<string, number>();
      for (const n of near) if (!isKin(n.p)) counts.set(n.p.actor, (counts.get(n.p.actor) ?? 0) + 1);
      const strangers = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
      out.set(b.sessionId, { missing: 1 - Math.min(kin, expected) / expected, kin, expected, strangers });
    }
    past.push({ i, actor: b.actor, peers: b.peers });
  }
  return out;
}

const shown = (actor: string): string => actor || '(no user)';

const pct = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));

/** Events new to the session's actor (what set it apart), and their graph nodes, for a model reason to cite. */
function newToActor(b: SessionBaseline): { auditIDs: string[]; nodes: { type: string; label: string }[] } {
  const auditIDs = [...new Set(b.touches.flatMap((t) => t.auditIDs))].slice(0, MAX_CITES);
  const nodes = [...new Map(b.touches.flatMap((t) => (t.node ? [[`${t.node.type}\u0000${t.node.label}`, t.node] as const] : []))).values()];
  return { auditIDs, nodes };
}

/** Score every session with a baseline; the model's view is optional (a case with no trained model). */
export function scoreActorSessions(baselines: Map<number, SessionBaseline>, model: ModelView | null): ScoredSession[] {
  const list = [...baselines.values()];
  const distances = model ? embeddingDistances(list, model.embeddings) : new Map<number, { ratio: number; against: 'own' | 'peers' }>();
  const resemblance = model ? actorResemblance(list, model.embeddings) : new Map<number, Resemblance>();
  const verdicts = model && model.notItsActor !== false ? actorVerdicts(list, model.embeddings) : new Map<number, Verdict>();
  const out: ScoredSession[] = [];
  for (const b of list) {
    const signals: Signal[] = baselineSignals(b);
    let modelEvidence = 0;
    const d = distances.get(b.sessionId);
    if (d && !b.inBaseline && d.ratio > DISTANCE_FLOOR) {
      const evidence = Math.min(1, Math.log2(d.ratio / DISTANCE_FLOOR) / Math.log2(4 / DISTANCE_FLOOR));
      modelEvidence += evidence;
      const text =
        d.against === 'own'
          ? `Graph embedding ${d.ratio.toFixed(1)}× farther from ${b.actor}'s own earlier sessions than is typical for ${peerGroupLabel(b.peers)}`
          : `Graph embedding ${d.ratio.toFixed(1)}× farther from any earlier session of its peers (${peerGroupLabel(b.peers)}) than is typical`;
      signals.push({ evidence, reason: { kind: d.against === 'own' ? 'unlike-own-past' : 'unlike-peers', text, auditIDs: [], weight: evidence } });
    }
    const r = resemblance.get(b.sessionId);
    if (r && !b.inBaseline && r.missing >= UNLIKE_FLOOR) {
      const evidence = r.missing;
      modelEvidence += evidence;
      const like = r.strangers.slice(0, STRANGERS_NAMED).map(([a, n]) => `${shown(a)} (${n})`).join(', ');
      // What the session did that is new to its actor is what set it apart; a session new in nothing cites nothing.
      const { auditIDs, nodes } = newToActor(b);
      signals.push({
        evidence,
        reason: {
          kind: 'unlike-own-work',
          text: `Graph embedding: of its ${NEIGHBOURS} nearest earlier sessions only ${r.kin} ${r.kin === 1 ? 'is' : 'are'} ${shown(b.actor)}'s or its peers' (${peerGroupLabel(b.peers)}; ${r.expected} expected); it is nearer the work of ${like}`,
          auditIDs,
          weight: evidence,
          ...(nodes.length ? { nodes } : {}),
        },
      });
    }
    const v = verdicts.get(b.sessionId);
    if (v && !b.inBaseline && v.odds >= STRANGER_ODDS) {
      const evidence = 0.5 + 0.5 * Math.min(1, Math.log2(v.odds / STRANGER_ODDS) / 2);
      modelEvidence += evidence;
      const like = v.strangers.slice(0, STRANGERS_NAMED).map(([a, q]) => `${shown(a)} (${pct(q)})`).join(', ');
      const kinText = v.kin - v.own > 0.0005 ? `, its peers' (${peerGroupLabel(b.peers)}) ${pct(v.kin - v.own)}` : '';
      const { auditIDs, nodes } = newToActor(b);
      signals.push({
        evidence,
        reason: {
          kind: 'not-its-actor',
          text: `The actor model, shown what the session touched but not who acted, does not take it for ${shown(b.actor)}'s: it gives ${shown(b.actor)} ${pct(v.own)}${kinText}, and ${like}`,
          auditIDs,
          weight: evidence,
          ...(nodes.length ? { nodes } : {}),
        },
      });
    }
    const f = model?.forest;
    const fs = f?.scores.get(b.sessionId);
    if (f && fs !== undefined && fs >= f.threshold && !b.inBaseline) {
      const t = Math.min(f.threshold, 0.999);
      const evidence = 0.5 + 0.5 * Math.min(1, (fs - t) / (1 - t));
      modelEvidence += evidence;
      signals.push({ evidence, reason: { kind: 'rare-in-case', text: `Isolation Forest over the whole case puts this session among its most isolated (score ${fs.toFixed(3)}, threshold ${f.threshold.toFixed(3)})`, auditIDs: [], weight: evidence } });
    }
    // The model's view counts whole when the baseline saw something too, half when it stands alone:
    // measured on three simulated seeds (docs/quality.md), whole-weight model-only evidence doubled
    // the incident list without bringing a single further attack into the top 20.
    const base = signals.reduce((s, x) => s + x.evidence, 0) - modelEvidence;
    const evidence = base + (base >= CORROBORATED ? modelEvidence : MODEL_ALONE * modelEvidence);
    out.push({ sessionId: b.sessionId, risk: riskOf(evidence), evidence, modelEvidence, reasons: signals.sort((x, y) => y.evidence - x.evidence).map((s) => s.reason) });
  }
  return out.sort((a, b) => b.risk - a.risk || a.sessionId - b.sessionId);
}
