import type cytoscape from 'cytoscape';
import type { GraphNodeType } from '../../../shared/contract.ts';

/** Node colour and shape by type: shared by the graph and its legend. */
export const NODE_STYLE: Record<GraphNodeType, { color: string; shape: cytoscape.Css.NodeShape }> = {
  ip: { color: '#5aa9ff', shape: 'diamond' },
  user: { color: '#3ecf8e', shape: 'ellipse' },
  group: { color: '#64748b', shape: 'round-rectangle' },
  object: { color: '#c792ea', shape: 'rectangle' },
  resource: { color: '#f0b429', shape: 'hexagon' },
  decision: { color: '#ff6b6b', shape: 'triangle' },
  agent: { color: '#ff8c42', shape: 'star' },
  namespace: { color: '#82aaff', shape: 'octagon' },
  subresource: { color: '#e879f9', shape: 'pentagon' },
  code: { color: '#9aa3af', shape: 'vee' },
};
