import type { GraphInput } from '../../../src/engine/model/graph-data.ts';
import { seededRandom } from '../../../src/engine/model/rng.ts';
import { NODE_TYPES, type NodeType } from '../../../src/engine/sessions/presets.ts';

/** One request as the actor session graph sees it: the object hub and what it ties together. */
export interface FixtureEvent {
  object: string;
  resource: string;
  namespace: string;
  code: string;
}

/**
 * An actor session graph shaped as sessions/graph.ts builds them: one object node per request
 * path (the hub), tied to its resource, namespace and response code, and to the session's user,
 * address and client; nodes are unique by type and label, edges weighted by the events that tied
 * them.
 */
export function actorGraph(who: { user: string; ip: string; agent: string }, events: readonly FixtureEvent[]): GraphInput {
  const types: number[] = [];
  const labels: string[] = [];
  const index = new Map<string, number>();
  const node = (type: NodeType, label: string): number => {
    const key = `${type}:${label}`;
    let i = index.get(key);
    if (i === undefined) {
      i = labels.length;
      index.set(key, i);
      types.push(NODE_TYPES.indexOf(type));
      labels.push(label);
    }
    return i;
  };
  const edges = new Map<string, number>();
  const tie = (a: number, b: number): void => {
    const key = `${Math.min(a, b)},${Math.max(a, b)}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  };
  const user = node('user', who.user);
  const ip = node('ip', who.ip);
  const agent = node('agent', who.agent);
  tie(user, ip);
  tie(user, agent);
  for (const e of events) {
    const hub = node('object', e.object);
    const res = node('resource', e.resource);
    const ns = node('namespace', e.namespace);
    for (const other of [res, ns, node('code', e.code), user, ip, agent]) tie(hub, other);
    tie(res, ns);
  }
  const pairs = [...edges].map(([k, w]) => [...k.split(',').map(Number), w]);
  return {
    nodeTypes: Uint8Array.from(types),
    nodeLabels: labels,
    src: Int32Array.from(pairs.map((p) => p[0])),
    dst: Int32Array.from(pairs.map((p) => p[1])),
    weight: Float32Array.from(pairs.map((p) => p[2])),
    labelMask: 0,
  };
}

/**
 * Sessions of two people with different habits (alice edits config in `web`, bob rolls out in
 * `shop`), each session also carrying what both do (reading pods in `shared`, a varying number of
 * them, with varying outcomes): the shared part varies more than the habit, so an untrained
 * embedding is pulled around by it. Returned in time order, alternating actors.
 */
export function twoActorSessions(count: number, seed: number, shared: { min: number; spread: number } = { min: 2, spread: 8 }): { graph: GraphInput; actor: string }[] {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const habits: Record<string, { who: { user: string; ip: string; agent: string }; events: () => FixtureEvent[] }> = {
    'alice@example.com': {
      who: { user: 'alice@example.com', ip: '10.0.1.10', agent: 'kubectl/v1.29.0' },
      events: () => [
        { object: `/api/v1/namespaces/web/configmaps/${pick(['site', 'nginx', 'feature-flags'])}`, resource: 'configmaps', namespace: 'web', code: '200' },
        { object: '/api/v1/namespaces/web/configmaps', resource: 'configmaps', namespace: 'web', code: '200' },
      ],
    },
    'bob@example.com': {
      who: { user: 'bob@example.com', ip: '10.0.2.20', agent: 'kubectl/v1.28.4' },
      events: () => [
        { object: `/apis/apps/v1/namespaces/shop/deployments/${pick(['cart', 'checkout', 'catalog'])}`, resource: 'deployments', namespace: 'shop', code: '200' },
        { object: '/apis/apps/v1/namespaces/shop/replicasets', resource: 'replicasets', namespace: 'shop', code: '200' },
      ],
    },
  };
  const out: { graph: GraphInput; actor: string }[] = [];
  for (let i = 0; i < count; i++) {
    const actor = i % 2 === 0 ? 'alice@example.com' : 'bob@example.com';
    const h = habits[actor];
    const common: FixtureEvent[] = Array.from({ length: shared.min + Math.floor(r() * shared.spread) }, () => ({
      object: `/api/v1/namespaces/shared/pods/worker-${Math.floor(r() * 40)}`,
      resource: 'pods',
      namespace: 'shared',
      code: pick(['200', '200', '404', '403']),
    }));
    out.push({ graph: actorGraph(h.who, [...h.events(), ...common]), actor });
  }
  return out;
}
