import type { Reason } from '../../shared/domain.ts';
import { baselineSignals, type SessionBaseline, type Signal } from './actor-baseline.ts';
import { peerGroupLabel } from './peers.ts';
import type { EmbeddingSet } from './types.ts';

/**
 * An actor session's score from its evidence: the baseline's signals (what it did that it, its
 * peers or the case never did), the model's (how far its embedding lies from the actor's own past
 * or, for a newcomer, from its peers; how isolated the forest finds it in the whole case). The
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

/** Score every session with a baseline; the model's view is optional (a case with no trained model). */
export function scoreActorSessions(baselines: Map<number, SessionBaseline>, model: ModelView | null): ScoredSession[] {
  const list = [...baselines.values()];
  const distances = model ? embeddingDistances(list, model.embeddings) : new Map<number, { ratio: number; against: 'own' | 'peers' }>();
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
