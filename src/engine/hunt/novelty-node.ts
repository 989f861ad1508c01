import type { AuditEvent } from '../../shared/domain.ts';
import { nodeLabelsOf } from '../sessions/graph.ts';
import type { NodeType } from '../sessions/presets.ts';
import { scrubVerbs } from '../sessions/verbs.ts';
import type { NoveltyKind } from './profile.ts';

const NOVELTY_NODE: Record<NoveltyKind, NodeType> = {
  sourceIP: 'ip',
  namespace: 'namespace',
  user: 'user',
  userAgent: 'agent',
  resource: 'resource',
};

/**
 * The session-graph node a first-seen entity is, labelled as the graph labels it (verb words
 * scrubbed; a resource with its API group and without its subresource), so `Reason.nodes` matches
 * the graph exactly. `first` is the event that introduced the entity, when at hand: a resource's
 * API group is only there.
 */
export function noveltyNode(kind: NoveltyKind, value: string, first?: AuditEvent): { type: string; label: string } {
  const type = NOVELTY_NODE[kind];
  if (kind === 'resource') {
    const label = first ? nodeLabelsOf(first, 'resource')[0] : undefined;
    return { type, label: label ?? scrubVerbs(value.split('/')[0]) };
  }
  // Graphs keep addresses verbatim; the other string kinds are verb-scrubbed like every label.
  return { type, label: kind === 'sourceIP' ? value : scrubVerbs(value) };
}
