import type { PreparedGraph } from './graph-data.ts';

/**
 * A mini-batch as the disjoint union of its graphs: one block-diagonal Â (CSR), node rows
 * stacked, and for each node the index of its graph (for the mean pool).
 */
export interface Batch {
  /** Graphs in the batch (G) and nodes in all of them (N). */
  graphs: number;
  nodes: number;
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float32Array;
  /** ÂX for the whole batch, [N, F]. */
  ax: Float32Array;
  /** Graph index per node, [N]; nodes of one graph are contiguous. */
  graphOf: Int32Array;
  /** First node of each graph, [G + 1]. */
  graphPtr: Int32Array;
  /** Targets, [G, labels]: multi-hot verbs, or one-hot classes for graphs with a `target`. */
  y: Float32Array;
}

export function collate(graphs: readonly PreparedGraph[], dim: number, labels: number): Batch {
  let nodes = 0;
  let nnz = 0;
  for (const g of graphs) {
    nodes += g.n;
    nnz += g.col.length;
  }
  const rowPtr = new Int32Array(nodes + 1);
  const col = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  const ax = new Float32Array(nodes * dim);
  const graphOf = new Int32Array(nodes);
  const graphPtr = new Int32Array(graphs.length + 1);
  const y = new Float32Array(graphs.length * labels);
  let nodeBase = 0;
  let nzBase = 0;
  graphs.forEach((g, gi) => {
    for (let i = 0; i < g.n; i++) rowPtr[nodeBase + i + 1] = nzBase + g.rowPtr[i + 1];
    for (let k = 0; k < g.col.length; k++) col[nzBase + k] = g.col[k] + nodeBase;
    val.set(g.val, nzBase);
    ax.set(g.ax, nodeBase * dim);
    graphOf.fill(gi, nodeBase, nodeBase + g.n);
    if (g.target !== undefined) y[gi * labels + g.target] = 1;
    else for (let l = 0; l < labels; l++) if (g.labelMask & (1 << l)) y[gi * labels + l] = 1;
    nodeBase += g.n;
    nzBase += g.col.length;
    graphPtr[gi + 1] = nodeBase;
  });
  return { graphs: graphs.length, nodes, rowPtr, col, val, ax, graphOf, graphPtr, y };
}
