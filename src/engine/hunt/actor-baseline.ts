import type { AuditEvent, Reason } from '../../shared/domain.ts';
import { imagesOf, registryOf, actingUser } from '../sessions/spec.ts';
import { scrubVerbs } from '../sessions/verbs.ts';
import { peerGroupLabel, peerGroupOf, widerPeerGroup } from './peers.ts';
import { outcomeOf } from '../events/outcome.ts';
import { objectName } from '../rules/fields.ts';
import { isAttempt } from '../rules/outcome.ts';
import { nodeLabelsOf } from '../sessions/graph.ts';
import { actionClass, actionOf, agentProduct, isPrivateAddress, sensitiveTarget, sourceKey } from './targets.ts';
import { techniquesOfSensitive } from './tactics.ts';
import { usToRfc3339 } from './time.ts';
import type { HuntSession } from './types.ts';

/**
 * Each actor session against the actor's own past and its peers', in one time-ordered pass over
 * the case: what it touched that it never had before (a namespace, an action, a registry, a
 * sensitive target, an address, a client), whether anyone like it ever had, bursts of deletes and
 * of refusals. Every signal cites the events behind it. The model's view (embedding distance to the
 * actor's own past and to its peers, the forest over the case) is added by actor-score.ts.
 */

export type TouchKind = 'registry' | 'sensitive' | 'write-namespace' | 'action' | 'namespace' | 'source' | 'agent';

/** How widely a touch was new: to the whole case, to the actor's peer group, or to the actor alone. */
export type Scope = 'case' | 'peers' | 'actor';

export interface Touch {
  kind: TouchKind;
  value: string;
  scope: Scope;
  auditIDs: string[];
  /** The session-graph node the touch is about, for the UI to highlight. */
  node?: { type: string; label: string };
  /** Found in the baseline period by rarity: the only session of this actor, in the whole case, with it. */
  oneOff?: boolean;
  /** Inside a namespace created in the case shortly before (by `by`): building something new, not entering something established. */
  inFresh?: { namespace: string; by: string };
  /** How many of the actor's sessions in the whole case have this touch: past 1, it became a habit. */
  sessions?: number;
}

export interface SessionBaseline {
  sessionId: number;
  startUs: number;
  actor: string;
  peers: string;
  /** First session of an identity first seen after the baseline period: judged against its peers. */
  newcomer: boolean;
  /** Inside the baseline period nothing is called new: the case has not seen enough yet. */
  inBaseline: boolean;
  events: number;
  touches: Touch[];
  deletes: string[];
  /** Most successful deletes in any earlier session of this actor. */
  priorMaxDeletes: number;
  denied: string[];
  /** Mean refused requests per earlier session of this actor. */
  priorDeniedMean: number;
  firstSeenUs: number;
  /** Share of the actor's earlier events in this session's starting hour of day (people only; null when too little history). */
  hourShare: number | null;
  /** Events of a workload identity (service account, node, controller) from public addresses it never used, when its past was all private. */
  external: string[];
  /** Successful sensitive events (secrets, exec, RBAC…), new or habitual. */
  sensitive: string[];
}

export interface BaselineOptions {
  /** Before this instant the case is learning what is normal: no touch is called new. */
  baselineEndUs: number;
  /** auditID → session id, when the caller already holds it (built from `sessions` otherwise). */
  sessionOf?: ReadonlyMap<string, number>;
}

const MAX_CITES = 25;
/** A person's rhythm is told only from this many earlier events: a few days of kubectl work. */
const RHYTHM_MIN_EVENTS = 100;
/** A starting hour holding under this share of a person's earlier events is outside their rhythm. */
const OFF_HOURS_SHARE = 0.01;
const hourOf = (us: number): number => new Date(Math.floor(us / 1000)).getUTCHours();
/** An actor needs this many sessions before one of them can stand out by rarity. */
const ONE_OFF_MIN_SESSIONS = 3;
/**
 * Peer groups that act on the cluster's behalf, following what others create: a ReplicaSet
 * controller pulls the registry a person's Deployment named, the garbage collector deletes what a
 * person's delete orphaned. Their first touch of something someone else touched first is the
 * job reacting; the person's touch carries the signal. (A control-plane identity used from
 * outside is still told: external-source.)
 */
const REACTIVE_GROUPS = new Set(['controllers', 'nodes']);
const REACTIVE_KINDS = new Set<TouchKind>(['namespace', 'write-namespace', 'action', 'registry', 'sensitive']);
/** Per touch: enough actors remembered to tell "someone else did" from "only this actor did". */
const ACTORS_KEPT = 2;

interface ActorState {
  firstUs: number;
  keys: Set<string>;
  /** Per key: how many of the actor's sessions had it (and the last one, to count each once). */
  keySessions: Map<string, { last: number; count: number }>;
  sessions: number[];
  /** Successful events per UTC hour of day: a person's working rhythm. */
  hours: Float64Array;
  events: number;
  /** Events from private (in-cluster or corporate) addresses. */
  privateEvents: number;
}

type Seen = Map<string, string[]>;

function remember(seen: Seen, key: string, actor: string): void {
  const list = seen.get(key);
  if (!list) seen.set(key, [actor]);
  else if (list.length < ACTORS_KEPT && !list.includes(actor)) list.push(actor);
}
const byOther = (seen: Seen | undefined, key: string, actor: string): boolean => (seen?.get(key) ?? []).some((a) => a !== actor);

/** auditID → session id over every session's events. */
export function sessionIndex(sessions: readonly HuntSession[]): Map<string, number> {
  const index = new Map<string, number>();
  for (const s of sessions) for (const id of s.auditIDs) index.set(id, s.id);
  return index;
}

/** The keys one successful event touches, with what to name and highlight. */
function touchesOf(e: AuditEvent): { kind: TouchKind; value: string; node?: { type: string; label: string } }[] {
  const out: { kind: TouchKind; value: string; node?: { type: string; label: string } }[] = [];
  const cls = actionClass(e.verb);
  // The graph node each touch is about, labelled as the session graph labels it.
  const node = (type: 'namespace' | 'resource' | 'agent'): { type: string; label: string } | undefined => {
    const label = nodeLabelsOf(e, type)[0];
    return label === undefined ? undefined : { type, label };
  };
  if (e.namespace) {
    out.push({ kind: 'namespace', value: e.namespace, node: node('namespace') });
    if (cls !== 'read') out.push({ kind: 'write-namespace', value: e.namespace, node: node('namespace') });
  }
  const action = actionOf(e);
  if (action) out.push({ kind: 'action', value: action, node: node('resource') });
  const sens = sensitiveTarget(e);
  if (sens) out.push({ kind: 'sensitive', value: `${cls} ${sens}` });
  for (const reg of new Set(imagesOf(e).map(registryOf))) out.push({ kind: 'registry', value: reg, node: { type: 'registry', label: scrubVerbs(reg) } });
  for (const ip of e.sourceIPs) out.push({ kind: 'source', value: sourceKey(ip), node: { type: 'ip', label: ip } });
  const product = agentProduct(e.userAgent);
  if (product) out.push({ kind: 'agent', value: product, node: node('agent') });
  return out;
}

/**
 * One pass over the case's events in time order. `sessions` are actor sessions (each holds one
 * acting identity's events); events outside every session are still remembered as history.
 */
export function buildBaselines(sessions: HuntSession[], events: Iterable<AuditEvent>, options: BaselineOptions): Map<number, SessionBaseline> {
  const sessionOf = options.sessionOf ?? sessionIndex(sessions);
  const out = new Map<number, SessionBaseline>();
  const actors = new Map<string, ActorState>();
  const peers = new Map<string, Seen>();
  const wholeCase: Seen = new Map();
  const startOf = new Map(sessions.map((s) => [s.id, s.startUs]));
  const index = new Map<number, Map<string, Touch>>();
  const created = new Map<string, { by: string; timeUs: number }>();
  // Baseline sessions: every key they touched, judged by rarity once the whole case is read.
  const pending = new Map<number, Map<string, Omit<Touch, 'scope'>>>();
  let lastUs = -Infinity;
  for (const e of events) {
    if (e.timeUs < lastUs) throw new Error('buildBaselines: events must arrive in time order');
    lastUs = e.timeUs;
    const actor = actingUser(e);
    let st = actors.get(actor);
    if (!st) actors.set(actor, (st = { firstUs: e.timeUs, keys: new Set(), keySessions: new Map(), sessions: [], hours: new Float64Array(24), events: 0, privateEvents: 0 }));
    const group = peerGroupOf(actor);
    let peerSeen = peers.get(group);
    if (!peerSeen) peers.set(group, (peerSeen = new Map()));
    const wider = widerPeerGroup(group);
    const sid = sessionOf.get(e.auditID);
    let b = sid === undefined ? undefined : out.get(sid);
    if (sid !== undefined && !b) {
      const startUs = startOf.get(sid)!;
      b = {
        sessionId: sid, startUs, actor, peers: group, events: 0, touches: [], deletes: [], denied: [], priorMaxDeletes: 0, priorDeniedMean: 0,
        inBaseline: startUs < options.baselineEndUs,
        newcomer: st.firstUs >= startUs && startUs >= options.baselineEndUs,
        firstSeenUs: st.firstUs,
        hourShare: group !== 'anonymous' && st.events >= RHYTHM_MIN_EVENTS ? st.hours[hourOf(startUs)] / st.events : null,
        external: [],
        sensitive: [],
      };
      out.set(sid, b);
      st.sessions.push(sid);
    }
    if (b) b.events++;
    if (isAttempt(outcomeOf(e))) {
      if (b && b.denied.length < 10_000) b.denied.push(e.auditID);
      continue;
    }
    const touches = touchesOf(e);
    if (b && (e.verb === 'delete' || e.verb === 'deletecollection')) b.deletes.push(e.auditID);
    if (b && b.sensitive.length < MAX_CITES && touches.some((t) => t.kind === 'sensitive')) b.sensitive.push(e.auditID);
    const isPrivate = e.sourceIPs.every(isPrivateAddress);
    // A workload's token used from the internet, when all its past requests came from inside.
    if (b && !isPrivate && group !== 'people' && group !== 'anonymous' && st.events >= 20 && st.privateEvents === st.events && b.external.length < MAX_CITES) b.external.push(e.auditID);
    st.hours[hourOf(e.timeUs)]++;
    st.events++;
    if (isPrivate) st.privateEvents++;
    // Namespaces made in the case: what an actor then builds inside one is construction.
    if (e.verb === 'create' && e.resource === 'namespaces' && !e.namespace) {
      const name = objectName(e);
      if (name && !created.has(name)) created.set(name, { by: actor, timeUs: e.timeUs });
    }
    for (const t of touches) {
      const key = `${t.kind}\u0000${t.value}`;
      const known = st.keys.has(key);
      if (!known) st.keys.add(key);
      if (sid !== undefined) {
        const ks = st.keySessions.get(key);
        if (!ks) st.keySessions.set(key, { last: sid, count: 1 });
        else if (ks.last !== sid) {
          ks.last = sid;
          ks.count++;
        }
      }
      if (b && b.inBaseline) {
        let p = pending.get(b.sessionId);
        if (!p) pending.set(b.sessionId, (p = new Map()));
        const had = p.get(key);
        if (!had) p.set(key, { ...t, auditIDs: [e.auditID] });
        else if (had.auditIDs.length < MAX_CITES) had.auditIDs.push(e.auditID);
      } else if (b && !known) {
        // Peers: the namespace's other accounts, or all service accounts when it has none yet.
        const peerHad = byOther(peerSeen, key, actor) || (wider !== null && peerSeen.size === 0 && byOther(peers.get(wider), key, actor));
        const scope: Scope = peerHad ? 'actor' : byOther(wholeCase, key, actor) ? 'peers' : 'case';
        // A newcomer has no past of its own: only what its peers never did counts. The control
        // plane follows the cluster: a controller's or kubelet's first step into a namespace that
        // someone else already used is its job reacting, not a choice.
        const reactive = REACTIVE_GROUPS.has(group) && scope !== 'case' && REACTIVE_KINDS.has(t.kind);
        if (!(b.newcomer && scope === 'actor') && !reactive) {
          let ix = index.get(b.sessionId);
          if (!ix) index.set(b.sessionId, (ix = new Map()));
          if (!ix.has(key)) {
            const fresh = FRESH_KINDS.has(t.kind) && e.namespace ? created.get(e.namespace) : undefined;
            const inFresh = fresh && e.timeUs - fresh.timeUs <= FRESH_US ? { namespace: e.namespace!, by: fresh.by } : undefined;
            const touch: Touch = { ...t, scope, auditIDs: [e.auditID], ...(inFresh ? { inFresh } : {}) };
            ix.set(key, touch);
            b.touches.push(touch);
          }
        }
      } else if (b) {
        const found = index.get(b.sessionId)?.get(key);
        if (found && found.auditIDs.length < MAX_CITES) found.auditIDs.push(e.auditID);
      }
      remember(peerSeen, key, actor);
      if (wider) {
        let w = peers.get(wider);
        if (!w) peers.set(wider, (w = new Map()));
        remember(w, key, actor);
      }
      remember(wholeCase, key, actor);
    }
  }
  // The baseline period has no past to compare with: there, a touch counts when it is the only
  // session of an actor with several that had it, and nobody like it did it either.
  for (const [sid, keys] of pending) {
    const b = out.get(sid)!;
    const st = actors.get(b.actor)!;
    if (st.sessions.length < ONE_OFF_MIN_SESSIONS) continue;
    const wider = widerPeerGroup(b.peers);
    for (const [key, t] of keys) {
      if ((st.keySessions.get(key)?.count ?? 0) !== 1) continue;
      const peerHad = byOther(peers.get(b.peers), key, b.actor) || (wider !== null && byOther(peers.get(wider), key, b.actor));
      if (peerHad) continue;
      if (REACTIVE_GROUPS.has(b.peers) && REACTIVE_KINDS.has(t.kind) && byOther(wholeCase, key, b.actor)) continue;
      b.touches.push({ ...t, scope: byOther(wholeCase, key, b.actor) ? 'peers' : 'case', oneOff: true });
    }
  }
  // The whole bundle is at hand: a "new" touch the actor then repeats in later sessions was a
  // habit starting (a new job, a new project), not a one-off; tell how often it came back.
  for (const b of out.values()) {
    const st = actors.get(b.actor)!;
    for (const t of b.touches) t.sessions = st.keySessions.get(`${t.kind}\u0000${t.value}`)?.count ?? 1;
  }
  // Each session against the actor's earlier ones: the most it ever deleted, how often it was
  // refused. A session of the baseline period has too few earlier ones: it is held against all
  // the actor's other sessions instead (and its hour against the actor's whole rhythm).
  for (const st of actors.values()) {
    let maxDel = 0;
    let denied = 0;
    const all = st.sessions.map((sid) => out.get(sid)!);
    const totalDenied = all.reduce((x, b) => x + b.denied.length, 0);
    all.forEach((b, i) => {
      if (b.inBaseline) {
        const others = all.filter((o) => o !== b);
        b.priorMaxDeletes = Math.max(0, ...others.map((o) => o.deletes.length));
        b.priorDeniedMean = others.length ? (totalDenied - b.denied.length) / others.length : 0;
        const rest = st.events - b.events;
        if (b.peers !== 'anonymous' && rest >= RHYTHM_MIN_EVENTS) b.hourShare = Math.max(0, st.hours[hourOf(b.startUs)] - b.events) / rest;
      } else {
        b.priorMaxDeletes = maxDel;
        b.priorDeniedMean = i ? denied / i : 0;
      }
      maxDel = Math.max(maxDel, b.deletes.length);
      denied += b.denied.length;
    });
  }
  return out;
}

const KIND_WEIGHT: Record<TouchKind, number> = {
  // A registry no one in the case pulled from: new supply chain or attacker tooling.
  registry: 2,
  // First change to who-can-do-what, what-runs-where or what-gets-seen, or first secret read.
  sensitive: 1.5,
  'write-namespace': 1,
  action: 0.5,
  source: 0.6,
  agent: 0.6,
  namespace: 0.3,
};
/**
 * Namespaces, writes and actions inside a namespace created in the case within the day count a
 * third: an onboarding, a new app or a hardening job builds in a place of its own, while an
 * intrusion reaches into places that were there before. Registries and sensitive actions count
 * whole wherever they happen (a miner in a namespace of its own is still a miner).
 */
const FRESH_KINDS = new Set<TouchKind>(['namespace', 'write-namespace', 'action']);
const FRESH_US = 24 * 3600e6;
const FRESH_FACTOR = 1 / 3;

/**
 * A touch that recurs in the actor's later sessions is a habit forming (a new duty, a new
 * project): counted at 60% when it comes back once, 25% when it comes back more. What a stolen
 * credential or an insider does once stays whole.
 */
const habitFactor = (sessions: number): number => (sessions <= 1 ? 1 : sessions === 2 ? 0.6 : 0.25);

/** New to everyone counts fully; new only to this actor (its peers do it) counts less. */
const SCOPE_FACTOR: Record<Scope, number> = { case: 1, peers: 0.8, actor: 0.4 };

/** Singular and plural of what each kind of touch is called in a reason. */
const KIND_TEXT: Record<TouchKind, [string, string]> = {
  registry: ['image registry', 'image registries'],
  sensitive: ['sensitive action', 'sensitive actions'],
  'write-namespace': ['namespace written to', 'namespaces written to'],
  action: ['action', 'actions'],
  source: ['source address', 'source addresses'],
  agent: ['client', 'clients'],
  namespace: ['namespace', 'namespaces'],
};

const SCOPE_TEXT: Record<Scope, string> = { case: 'never seen in the case before', peers: 'new to its peers too', actor: 'its peers do this' };

export interface Signal {
  reason: Reason;
  /** Evidence units this signal adds to the session's total (see actor-score.ts). */
  evidence: number;
}

const cite = (ids: Iterable<string>): string[] => [...new Set(ids)].slice(0, MAX_CITES);

/** The baseline's signals for one session, strongest first, each a reason citing its events. */
export function baselineSignals(b: SessionBaseline): Signal[] {
  const out: Signal[] = [];
  const who = b.actor || '(no user)';
  if (b.newcomer) {
    out.push({
      evidence: 0.5,
      reason: { kind: 'new-identity', text: `${who} was first seen at ${usToRfc3339(b.firstSeenUs)}: a new identity, judged against its peers (${peerGroupLabel(b.peers)})`, auditIDs: cite(b.touches.flatMap((t) => t.auditIDs).slice(0, 5)), nodes: [{ type: 'user', label: scrubVerbs(b.actor) }] },
    });
  }
  const kinds = [...new Set(b.touches.map((t) => t.kind))];
  for (const kind of kinds) {
    const ts = b.touches.filter((t) => t.kind === kind).sort((x, y) => SCOPE_FACTOR[y.scope] - SCOPE_FACTOR[x.scope] || x.value.localeCompare(y.value));
    const mass = ts.reduce((s, t) => s + SCOPE_FACTOR[t.scope] * (t.inFresh ? FRESH_FACTOR : 1) * habitFactor(t.sessions ?? 1), 0);
    const evidence = KIND_WEIGHT[kind] * Math.log2(1 + mass);
    const shown = ts.slice(0, 6).map((t) => `${t.value} (${t.oneOff ? `in no other session of it; ` : ''}${SCOPE_TEXT[t.scope]}${t.inFresh ? `; in namespace ${t.inFresh.namespace}, created in this case by ${t.inFresh.by}` : ''}${(t.sessions ?? 1) > 1 ? `; repeated in ${t.sessions! - 1} later session${t.sessions === 2 ? '' : 's'}` : ''})`);
    const more = ts.length > shown.length ? ` and ${ts.length - shown.length} more` : '';
    out.push({
      evidence,
      reason: {
        kind: `new-${kind}`,
        text: `${ts.length} ${KIND_TEXT[kind][ts.length === 1 ? 0 : 1]} new for ${who}: ${shown.join(', ')}${more}`,
        auditIDs: cite(ts.flatMap((t) => t.auditIDs)),
        weight: evidence,
        nodes: ts.flatMap((t) => (t.node ? [t.node] : [])),
        techniques: kind === 'sensitive' ? [...new Set(ts.flatMap((t) => techniquesOfSensitive(t.value)))] : kind === 'registry' ? ['T1610'] : undefined,
      },
    });
  }
  if (b.hourShare !== null && b.hourShare < OFF_HOURS_SHARE && b.touches.length + b.deletes.length > 0) {
    out.push({ evidence: 0.8, reason: { kind: 'off-hours', text: `${who} is active at an hour (UTC ${new Date(Math.floor(b.startUs / 1000)).toISOString().slice(11, 16)}) that holds ${(100 * b.hourShare).toFixed(1)}% of its earlier activity`, auditIDs: cite(b.touches.flatMap((t) => t.auditIDs).slice(0, 10)), weight: 0.8 } });
  }
  // A credential doing sensitive things (even its usual ones) from a public address never seen
  // in the case: the account's owner in a new place, or someone else with the account.
  const displaced = b.touches.filter((t) => t.kind === 'source' && t.scope !== 'actor' && !isPrivateAddress(t.value));
  if (displaced.length && b.sensitive.length && b.peers !== 'anonymous') {
    out.push({ evidence: 0.8, reason: { kind: 'displaced-sensitive', text: `${b.sensitive.length} sensitive request${b.sensitive.length === 1 ? '' : 's'} of ${who} from ${displaced.map((t) => t.value).join(', ')}, an address never seen in the case before`, auditIDs: cite([...b.sensitive, ...displaced.flatMap((t) => t.auditIDs)]), weight: 0.8, techniques: ['T1078'] } });
  }
  if (b.external.length) {
    out.push({ evidence: 1.2, reason: { kind: 'external-source', text: `${who}, a workload identity whose every earlier request came from private addresses, called from a public one`, auditIDs: cite(b.external), weight: 1.2, techniques: ['T1078'] } });
  }
  // A burst of deletes: at least five, and three times what this actor ever deleted in one session.
  const d = b.deletes.length;
  if (!REACTIVE_GROUPS.has(b.peers) && d >= 5 && d >= 3 * Math.max(1, b.priorMaxDeletes)) {
    const evidence = Math.min(3, Math.log2(d / Math.max(1, b.priorMaxDeletes)));
    out.push({ evidence, reason: { kind: 'destructive-burst', text: `${d} successful deletes in one session of ${who}; its most in any earlier session: ${b.priorMaxDeletes}`, auditIDs: cite(b.deletes), weight: evidence, techniques: ['T1485'] } });
  }
  // Refusals: probing permissions, or a stolen credential that cannot do what its thief wants.
  const n = b.denied.length;
  if (n >= 3 && n > 3 * b.priorDeniedMean) {
    const evidence = 0.4 * Math.log2(1 + n);
    out.push({ evidence, reason: { kind: 'refused-burst', text: `${n} requests of ${who} refused or failed in one session (earlier sessions: ${b.priorDeniedMean.toFixed(1)} on average)`, auditIDs: cite(b.denied), weight: evidence } });
  }
  return out.sort((x, y) => y.evidence - x.evidence);
}
