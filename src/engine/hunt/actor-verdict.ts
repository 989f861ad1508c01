import type { SessionBaseline } from './actor-baseline.ts';
import type { EmbeddingSet } from './types.ts';

// The actor model's verdict on each session (the `not-its-actor` evidence in actor-score.ts reads it).

export interface Verdict {
  /** Probability the model gives the session's own identity, and its kin (own identity and peer group's classes) together. */
  own: number;
  kin: number;
  /** Classes outside the kin ("(other)" among them) that get at least half the kin's probability, likeliest first. */
  strangers: [string, number][];
  /** The likeliest stranger's probability over the kin's. */
  odds: number;
}

/**
 * What the actor model says about each session of an identity that is one of its classes: how
 * likely it finds the session's own identity and its kin, and which strangers it prefers. An
 * identity that is not a class (too few sessions: "(other)") gets no verdict, as there is no
 * habit of its own the model could have learned. Matching an `actor-ip` session's `identity|ip`
 * falls back to the identity.
 */
export function actorVerdicts(baselines: SessionBaseline[], emb: EmbeddingSet): Map<number, Verdict> {
  const out = new Map<number, Verdict>();
  const ac = emb.actorClasses;
  if (!ac) return out;
  const L = ac.classes.length;
  const other = L - 1;
  const classOf = (actor: string): number => {
    let c = ac.classes.indexOf(actor);
    if (c < 0 && actor.includes('|')) c = ac.classes.indexOf(actor.slice(0, actor.lastIndexOf('|')));
    return c === other ? -1 : c;
  };
  const peersOfClass = new Map<number, string>();
  for (const b of baselines) {
    const c = classOf(b.actor);
    if (c >= 0) peersOfClass.set(c, b.peers);
  }
  const row = new Map<number, number>();
  emb.sessionIds.forEach((id, i) => row.set(id, i));
  for (const b of baselines) {
    const c = classOf(b.actor);
    const i = row.get(b.sessionId);
    if (c < 0 || i === undefined) continue;
    const p = ac.probs.subarray(i * L, (i + 1) * L);
    let kin = 0;
    const others: [string, number][] = [];
    for (let l = 0; l < L; l++) {
      if (l === c || (l !== other && peersOfClass.get(l) === b.peers)) kin += p[l];
      else others.push([ac.classes[l], p[l]]);
    }
    others.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const top = others[0]?.[1] ?? 0;
    out.set(b.sessionId, { own: p[c], kin, strangers: others.filter(([, q]) => q >= kin / 2 && q > 0), odds: kin > 0 ? top / kin : top > 0 ? Infinity : 0 });
  }
  return out;
}
