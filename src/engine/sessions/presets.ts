import type { AuditEvent } from '../../shared/domain.ts';
import { actingUser } from './spec.ts';

/** Node types, in the order their codes are stored (a node's type byte indexes this list). */
export const NODE_TYPES = ['ip', 'group', 'object', 'resource', 'decision', 'user', 'agent', 'namespace', 'subresource', 'code', 'image', 'registry', 'subject', 'role', 'impersonator'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export type PresetName = 'seed' | 'actor' | 'actor-ip';
export const PRESETS: readonly PresetName[] = ['seed', 'actor', 'actor-ip'];
/** The hunt's unit: one actor's activity (docs/quality.md); 'seed' reproduces the talk's cluster minute. */
export const DEFAULT_PRESET: PresetName = 'actor';

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

/**
 * How a partition's events become sessions. 'tumbling': fixed clock slices of `windowUs` (the
 * talk's minute). 'gap': one actor's activity, cut where the actor goes quiet for `windowUs` or
 * when a session has run for `maxSpanUs` (so an always-on controller still yields sessions
 * that can be compared with each other, instead of one three-day blob).
 */
export type Cut = { kind: 'tumbling'; defaultWindowS: number } | { kind: 'gap'; defaultWindowS: number; maxSpanUs: number };

export interface Preset {
  name: PresetName;
  cut: Cut;
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
  cut: { kind: 'tumbling', defaultWindowS: 60 },
  partition: clusterOf,
  nodeTypes: ['ip', 'group', 'object', 'resource', 'decision'],
  pairs: [['ip', 'group']],
  hashing: { dim: 40, tokens: 'whole' },
};

const actorTypes: readonly NodeType[] = [
  'user', 'impersonator', 'group', 'ip', 'agent', 'object', 'resource', 'subresource', 'namespace', 'code', 'decision', 'image', 'registry', 'subject', 'role',
];
const actorPairs: readonly (readonly [NodeType, NodeType])[] = [
  ['user', 'ip'],
  ['user', 'agent'],
  ['user', 'group'],
  ['impersonator', 'user'],
  ['resource', 'namespace'],
  ['image', 'registry'],
  ['subject', 'role'],
];

/**
 * Gap and span of the actor cut, measured on the simulator (docs/quality.md): a person's kubectl
 * work pauses for minutes between commands, rarely for half an hour; an hour's span keeps an
 * always-on controller's sessions comparable and a fifth of a day small enough to explain.
 */
export const ACTOR_GAP_S = 30 * 60;
export const ACTOR_MAX_SPAN_US = 60 * 60 * 1e6;

export const ACTOR: Preset = {
  name: 'actor',
  cut: { kind: 'gap', defaultWindowS: ACTOR_GAP_S, maxSpanUs: ACTOR_MAX_SPAN_US },
  // The identity acting: an impersonated user's session is theirs, with the impersonator a node in it.
  partition: (e) => `${clusterOf(e)}|${actingUser(e)}`,
  nodeTypes: actorTypes,
  pairs: actorPairs,
  hashing: { dim: 64, tokens: 'parts' },
};

export const ACTOR_IP: Preset = {
  ...ACTOR,
  name: 'actor-ip',
  partition: (e) => `${clusterOf(e)}|${actingUser(e)}|${e.sourceIPs[0] ?? '-'}`,
};

export function getPreset(name: string, hashing?: Partial<HashingConfig>): Preset {
  const p = name === 'seed' ? SEED : name === 'actor' ? ACTOR : name === 'actor-ip' ? ACTOR_IP : null;
  if (!p) throw new Error(`unknown session preset '${name}' (seed, actor, actor-ip)`);
  return hashing ? { ...p, hashing: { ...p.hashing, ...hashing } } : p;
}
