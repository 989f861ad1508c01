import type { AuditEvent } from '../../shared/domain.ts';

/** Node types, in the order their codes are stored (a node's type byte indexes this list). */
export const NODE_TYPES = ['ip', 'group', 'object', 'resource', 'decision', 'user', 'agent', 'namespace', 'subresource', 'code'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export type PresetName = 'seed' | 'actor' | 'actor-ip';
export const PRESETS: readonly PresetName[] = ['seed', 'actor', 'actor-ip'];

/** How node strings become feature vectors (stored with every model so embeddings are repeatable). */
export interface HashingConfig {
  dim: number;
  /**
   * 'whole': one token per node, `type:label` (the talk's formulation).
   * 'parts': that token plus one per path/word part of the label, so two pods in one namespace
   * share features instead of landing on unrelated buckets.
   */
  tokens: 'whole' | 'parts';
}

export interface Preset {
  name: PresetName;
  /** Partition key of an event: sessions never span partitions. */
  partition(e: AuditEvent): string;
  /** Node types this preset draws (the `object` node is always present: it is the hub). */
  nodeTypes: readonly NodeType[];
  /** Extra edges between non-hub entities of one event, besides hub ↔ each entity. */
  pairs: readonly (readonly [NodeType, NodeType])[];
  hashing: HashingConfig;
}

const clusterOf = (e: AuditEvent): string => e.cluster ?? '*';

export const SEED: Preset = {
  name: 'seed',
  partition: clusterOf,
  nodeTypes: ['ip', 'group', 'object', 'resource', 'decision'],
  pairs: [['ip', 'group']],
  hashing: { dim: 40, tokens: 'whole' },
};

const actorTypes: readonly NodeType[] = ['user', 'group', 'ip', 'agent', 'object', 'resource', 'subresource', 'namespace', 'code', 'decision'];
const actorPairs: readonly (readonly [NodeType, NodeType])[] = [
  ['user', 'ip'],
  ['user', 'agent'],
  ['user', 'group'],
  ['resource', 'namespace'],
];

export const ACTOR: Preset = {
  name: 'actor',
  partition: (e) => `${clusterOf(e)}|${e.user}`,
  nodeTypes: actorTypes,
  pairs: actorPairs,
  hashing: { dim: 64, tokens: 'parts' },
};

export const ACTOR_IP: Preset = {
  ...ACTOR,
  name: 'actor-ip',
  partition: (e) => `${clusterOf(e)}|${e.user}|${e.sourceIPs[0] ?? '-'}`,
};

export function getPreset(name: string, hashing?: Partial<HashingConfig>): Preset {
  const p = name === 'seed' ? SEED : name === 'actor' ? ACTOR : name === 'actor-ip' ? ACTOR_IP : null;
  if (!p) throw new Error(`unknown session preset '${name}' (seed, actor, actor-ip)`);
  return hashing ? { ...p, hashing: { ...p.hashing, ...hashing } } : p;
}
