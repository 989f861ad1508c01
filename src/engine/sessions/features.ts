import { hashInto } from './hash.ts';
import { NODE_TYPES, type HashingConfig } from './presets.ts';

/** Tokens hashed for one node: `type:label`, plus (for 'parts') `type.part:piece` per label piece. */
export function nodeTokens(type: string, label: string, tokens: HashingConfig['tokens']): string[] {
  const whole = `${type}:${label}`;
  if (tokens === 'whole') return [whole];
  const parts = label.split(/[/:.\s,;()@=]+/).filter((p) => p.length > 0);
  return parts.length > 1 ? [whole, ...parts.map((p) => `${type}.part:${p}`)] : [whole];
}

/** Node feature matrix X, row-major [nodes, dim], by the signed hashing trick. */
export function nodeFeatures(nodeTypes: Uint8Array, nodeLabels: readonly string[], hashing: HashingConfig): Float32Array {
  const { dim } = hashing;
  const x = new Float32Array(nodeLabels.length * dim);
  for (let i = 0; i < nodeLabels.length; i++) {
    for (const tok of nodeTokens(NODE_TYPES[nodeTypes[i]], nodeLabels[i], hashing.tokens)) hashInto(x, i * dim, dim, tok);
  }
  return x;
}
