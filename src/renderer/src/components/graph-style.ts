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
  image: { color: '#2dd4bf', shape: 'barrel' },
  registry: { color: '#14b8a6', shape: 'cut-rectangle' },
  subject: { color: '#facc15', shape: 'round-diamond' },
  role: { color: '#eab308', shape: 'round-tag' },
  impersonator: { color: '#f43f5e', shape: 'round-triangle' },
};

/** Node colour, shape, size and label come with each element's data; a folded object group gets a double ring. */
export function graphStylesheet(large: boolean): cytoscape.StylesheetJson {
  return [
    {
      selector: 'node',
      style: { 'background-color': 'data(color)', shape: 'data(shape)' as unknown as cytoscape.Css.NodeShape, width: 'data(size)', height: 'data(size)', label: 'data(label)', color: '#9aa3af', 'font-size': 9, 'border-width': 'data(border)', 'border-color': '#ff4d6d' },
    },
    { selector: 'node.group', style: { 'border-width': 4, 'border-style': 'double', 'border-color': '#e9d5ff', color: '#d6dbe1', 'font-size': 11 } },
    // Haystack edges (straight, no per-edge curve geometry) for big graphs: 10K bezier edges are slow to draw.
    { selector: 'edge', style: { width: 'data(width)', 'line-color': '#5b6470', opacity: 0.6, 'curve-style': large ? 'haystack' : 'bezier' } },
  ];
}
