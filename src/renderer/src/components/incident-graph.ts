import type { IncidentDetail, SessionGraphView } from '../../../shared/contract.ts';

/**
 * The graph an incident joins, in the shape the one Cytoscape wrapper draws: its actors, the
 * addresses they came from, the objects they touched (from the storyline), and the links that
 * tie identities together (a shared address, a minted token, a granted role). Node ids are
 * `type:label`, so a node's kind and label read straight from it.
 */
export function incidentGraph(inc: IncidentDetail): SessionGraphView {
  const nodes = new Map<string, SessionGraphView['nodes'][number]>();
  const edges = new Map<string, SessionGraphView['edges'][number]>();
  const nodeEvents: Record<string, string[]> = {};
  const node = (type: SessionGraphView['nodes'][number]['type'], label: string, auditID?: string): string => {
    const id = `${type}:${label}`;
    const n = nodes.get(id);
    if (n) n.events++;
    else nodes.set(id, { id, type, label, events: 1, attribution: 0, isNew: false });
    if (auditID) (nodeEvents[id] ??= []).push(auditID);
    return id;
  };
  const edge = (a: string, b: string): void => {
    const k = `${a}\u0000${b}`;
    const e = edges.get(k);
    if (e) e.weight++;
    else edges.set(k, { source: a, target: b, weight: 1 });
  };
  for (const s of inc.storyline) {
    const u = node('user', s.user, s.auditID);
    for (const ip of s.sourceIPs) edge(node('ip', ip, s.auditID), u);
    const obj = node('object', s.target, s.auditID);
    edge(u, obj);
    // `resource namespace/name`: the object sits in its namespace, which ties the picture together.
    const ns = /^\S+ ([^/\s]+)\//.exec(s.target)?.[1];
    if (ns && inc.namespaces.includes(ns)) edge(obj, node('namespace', ns));
  }
  // Without a storyline (an incident saved before its steps were known), tie what it names.
  if (inc.storyline.length === 0) {
    for (const u of inc.users) {
      const un = node('user', u);
      for (const ip of inc.sourceIPs) edge(node('ip', ip), un);
      for (const o of inc.objects) edge(un, node('object', o));
    }
  }
  // Every link ties two identities (the address of a shared-ip link is in its text and events).
  for (const l of inc.links) edge(node('user', l.from, l.auditIDs[0]), node('user', l.to, l.auditIDs[0]));
  for (const ns of inc.namespaces) if (!nodes.has(`namespace:${ns}`)) node('namespace', ns);
  return {
    session: { id: -1, startUs: 0, endUs: 0, key: inc.id, events: inc.auditIDs.length, nodes: nodes.size, edges: edges.size, verbs: [], score: inc.score },
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    nodeEvents,
    explanation: [],
  };
}
