import { NODE_TYPES, type HashingConfig } from '../sessions/presets.ts';
import { collate } from './batch.ts';
import { FusedGcn } from './fused.ts';
import type { GcnModel } from './gcn.ts';
import { prepareGraph, type GraphInput, type PreparedGraph } from './graph-data.ts';
import { hiddenTypes } from './objective.ts';

/**
 * Session embeddings (the mean-pooled last GCN layer) of `graphs`, row-major [graphs, hidden].
 * Takes raw graphs so the hunt can re-embed a graph with a node dropped (occlusion); raw graphs
 * are prepared as the model's objective was trained (its hidden node types zeroed).
 */
export function embedGraphs(model: { gcn: GcnModel; hashing: HashingConfig }, graphs: readonly (GraphInput | PreparedGraph)[], batchSize = 64): Float32Array {
  const { gcn, hashing } = model;
  const dim = gcn.config.hidden;
  const out = new Float32Array(graphs.length * dim);
  const fused = fusedFor(gcn);
  for (let i = 0; i < graphs.length; i += batchSize) {
    const prepared = graphs.slice(i, i + batchSize).map((g) => ('ax' in g ? g : prepareGraph(g, hashing, hiddenTypes(gcn.config.objective))));
    if (fused) {
      fused.load(prepared);
      out.set(fused.embed(), i * dim);
      continue;
    }
    const e = gcn.embed(collate(prepared, hashing.dim, gcn.config.labels));
    out.set(e.dataSync(), i * dim);
    e.dispose();
  }
  return out;
}

/**
 * The 'actor' objective's answer for sessions already embedded: softmax(E Wo + bo) over the
 * model's classes (objective.ts: the case's regular identities, then OTHER_ACTOR), row-major
 * [graphs, classes]; null for a model of another objective (its head says verbs, not whose).
 * Taken from the stored embeddings rather than a second forward pass: the head is one small
 * product, and so it can also be computed for an embedding run stored before it was kept.
 *
 * Shapes: embeddings [G, H] (H = gcn.config.hidden), Wo [H, L], bo [L] → [G, L].
 */
export function classProbabilities(gcn: GcnModel, embeddings: Float32Array): Float32Array | null {
  const { hidden, labels, objective } = gcn.config;
  if (objective !== 'actor') return null;
  const count = embeddings.length / hidden;
  if (!Number.isInteger(count)) throw new Error(`embeddings hold ${embeddings.length} values, not a multiple of ${hidden}`);
  const { wo, bo } = gcn.snapshot();
  const out = new Float32Array(count * labels);
  const z = new Float64Array(labels);
  for (let g = 0; g < count; g++) {
    for (let l = 0; l < labels; l++) z[l] = bo[l];
    for (let k = 0; k < hidden; k++) {
      const e = embeddings[g * hidden + k];
      if (e === 0) continue;
      for (let l = 0; l < labels; l++) z[l] += e * wo[k * labels + l];
    }
    // Shifted by the largest logit so exp never overflows.
    let max = -Infinity;
    for (let l = 0; l < labels; l++) max = Math.max(max, z[l]);
    let sum = 0;
    for (let l = 0; l < labels; l++) sum += z[l] = Math.exp(z[l] - max);
    for (let l = 0; l < labels; l++) out[g * labels + l] = z[l] / sum;
  }
  return out;
}

// One fused network per shape and thread: compiling its kernels costs more than embedding a few graphs.
const fusedCache = new Map<string, FusedGcn | null>();

/** The fused forward pass loaded with gcn's current weights (cheap: ~11K floats), or null without SIMD. */
function fusedFor(gcn: GcnModel): FusedGcn | null {
  const { inDim, hidden, labels, objective } = gcn.config;
  const key = `${inDim}/${hidden}/${labels}/${objective ?? 'verbs'}`;
  if (!fusedCache.has(key)) fusedCache.set(key, FusedGcn.create(gcn.config));
  const fused = fusedCache.get(key) ?? null;
  fused?.setWeights(gcn.snapshot());
  return fused;
}

/**
 * A drawable graph (the store's getSessionGraph view, possibly with nodes removed for occlusion)
 * back into model input. Node ids may be sparse after removal: they are renumbered, and edges to
 * missing nodes are dropped.
 */
export function graphFromView(view: { nodes: readonly { id: number | string; type: string; label: string }[]; edges: readonly { src: number | string; dst: number | string; weight: number }[] }): GraphInput {
  const index = new Map(view.nodes.map((n, i) => [String(n.id), i]));
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  for (const e of view.edges) {
    const a = index.get(String(e.src));
    const b = index.get(String(e.dst));
    if (a === undefined || b === undefined || a === b) continue;
    src.push(Math.min(a, b));
    dst.push(Math.max(a, b));
    weight.push(e.weight);
  }
  const types = view.nodes.map((n) => (NODE_TYPES as readonly string[]).indexOf(n.type));
  if (types.some((t) => t < 0)) throw new Error(`unknown node type in graph: ${view.nodes.find((n) => !(NODE_TYPES as readonly string[]).includes(n.type))?.type}`);
  return { nodeTypes: Uint8Array.from(types), nodeLabels: view.nodes.map((n) => n.label), src: Int32Array.from(src), dst: Int32Array.from(dst), weight: Float32Array.from(weight), labelMask: 0 };
}
