import { VERBS } from '../sessions/verbs.ts';
import type { HashingConfig } from '../sessions/presets.ts';
import { collate } from './batch.ts';
import type { GcnModel } from './gcn.ts';
import { prepareGraph, type GraphInput, type PreparedGraph } from './graph-data.ts';

/**
 * Session embeddings (the mean-pooled last GCN layer) of `graphs`, row-major [graphs, hidden].
 * Takes raw graphs so the hunt can re-embed a graph with a node dropped (occlusion).
 */
export function embedGraphs(model: { gcn: GcnModel; hashing: HashingConfig }, graphs: readonly (GraphInput | PreparedGraph)[], batchSize = 64): Float32Array {
  const { gcn, hashing } = model;
  const dim = gcn.config.hidden;
  const out = new Float32Array(graphs.length * dim);
  for (let i = 0; i < graphs.length; i += batchSize) {
    const prepared = graphs.slice(i, i + batchSize).map((g) => ('ax' in g ? g : prepareGraph(g, hashing)));
    const e = gcn.embed(collate(prepared, hashing.dim, VERBS.length));
    out.set(e.dataSync(), i * dim);
    e.dispose();
  }
  return out;
}
