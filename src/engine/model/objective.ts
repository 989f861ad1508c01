import type { NodeType } from '../sessions/presets.ts';
import { VERBS } from '../sessions/verbs.ts';

/**
 * What the GCN is trained to predict from a session graph.
 *
 * - 'verbs' (the talk's): which of the 8 verbs the session contains (multi-label, sigmoid BCE).
 *   Verbs are scrubbed from every node string, so the graph must say them through what they touched.
 * - 'actor': whose session it is (single label, softmax cross-entropy over the case's most active
 *   identities plus "other"), with the nodes that say who or where from hidden from the input
 *   (ACTOR_HIDDEN_TYPES), so the model can only tell actors apart by what their sessions touched.
 *   Its embedding then places an actor's sessions together, and a session unlike its actor's work
 *   lands away from them: that is what the hunt's distance to an actor's own past measures.
 */
export type ObjectiveName = 'verbs' | 'actor';
export const OBJECTIVES: readonly ObjectiveName[] = ['verbs', 'actor'];

/**
 * Hidden from the 'actor' objective's input (features zeroed, structure kept): the identity itself
 * and what names it almost as well. A node's own address or a controller's user agent would let
 * the model answer "whose session" without looking at what the session touched, and then the
 * embedding would say nothing about the work. What the hunt needs about them (a new address, a
 * new client) the per-actor baseline already says.
 */
export const ACTOR_HIDDEN_TYPES: readonly NodeType[] = ['user', 'impersonator', 'group', 'ip', 'agent'];

/**
 * The objective a preset trains with when none is asked for. Actor sessions learn whose they are:
 * on three simulated seeds the hunt with that model's evidence ranked as many or more attacks in
 * its top 20 as without it, and as many or more than with the verbs model, with precision@10
 * unchanged (docs/quality.md, "The GCN's objective", which also gives the held-out seeds where it
 * only tied). The talk's cluster minute keeps its verbs, so `--preset seed` reproduces its F1.
 */
export function defaultObjective(preset: string): ObjectiveName {
  return preset === 'seed' ? 'verbs' : 'actor';
}

/** The class of every session whose identity is not among the modelled ones. */
export const OTHER_ACTOR = '(other)';

/**
 * An identity becomes a class of its own from this many sessions: with fewer there is no habit to
 * learn (a one-off job, a person seen once), and such sessions teach the model more as "other".
 */
export const MIN_CLASS_SESSIONS = 3;

/**
 * At most this many identity classes: a 3-day scale-0.2 simulated case has ~30 identities with 3
 * or more sessions (nodes, controllers, people); a real cluster has hundreds of kubelets and pods,
 * and a head wider than the 64-wide embedding would learn a lookup table rather than a shape.
 */
export const MAX_ACTOR_CLASSES = 32;

/**
 * The classes of the 'actor' objective: identities with at least MIN_CLASS_SESSIONS sessions, the
 * most active first (ties by name, so the order is deterministic), at most MAX_ACTOR_CLASSES, then
 * OTHER_ACTOR.
 */
export function actorClasses(actorOfSession: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const a of actorOfSession) count.set(a, (count.get(a) ?? 0) + 1);
  const ranked = [...count].filter(([a, n]) => n >= MIN_CLASS_SESSIONS && a !== OTHER_ACTOR).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return [...ranked.slice(0, MAX_ACTOR_CLASSES).map(([a]) => a), OTHER_ACTOR];
}

/** Index of `actor` among `classes` (built by actorClasses), OTHER_ACTOR's when it is not one. */
export function actorTarget(classes: readonly string[], actor: string): number {
  const i = classes.indexOf(actor);
  return i >= 0 && actor !== OTHER_ACTOR ? i : classes.length - 1;
}

/** Node types whose features the objective hides from the network. */
export function hiddenTypes(objective: ObjectiveName | undefined): readonly NodeType[] {
  return objective === 'actor' ? ACTOR_HIDDEN_TYPES : [];
}

/** Names of the head's outputs: the verbs, or the actor classes. */
export function labelNames(config: { objective?: ObjectiveName; classes?: readonly string[] }): readonly string[] {
  return config.objective === 'actor' ? (config.classes ?? []) : VERBS;
}

/** The acting identity of an actor-preset session, from its partition key `cluster|identity[|ip]`. */
export function actorOfPartition(partition: string): string {
  const parts = partition.split('|');
  return parts.length > 1 ? parts[1] : partition;
}
