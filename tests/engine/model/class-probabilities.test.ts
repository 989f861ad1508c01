import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/engine/model/backend.ts';
import { collate } from '../../../src/engine/model/batch.ts';
import { classProbabilities, embedGraphs } from '../../../src/engine/model/embed.ts';
import { GcnModel, PARAM_NAMES } from '../../../src/engine/model/gcn.ts';
import { prepareGraph } from '../../../src/engine/model/graph-data.ts';
import { ACTOR_HIDDEN_TYPES } from '../../../src/engine/model/objective.ts';
import { seededRandom } from '../../../src/engine/model/rng.ts';
import { ACTOR } from '../../../src/engine/sessions/presets.ts';
import { twoActorSessions } from './actor-fixture.ts';

const hashing = ACTOR.hashing;

beforeAll(async () => {
  await selectBackend('wasm');
});

/** An actor-objective model with every weight, the head's bias included, drawn at random (a fresh model's biases are 0). */
function randomActorModel(labels: number): GcnModel {
  const gcn = new GcnModel({ inDim: hashing.dim, hidden: 8, labels, layers: 3, seed: 5, objective: 'actor', classes: Array.from({ length: labels }, (_, i) => `c${i}`) });
  const r = seededRandom(9);
  const w = gcn.snapshot();
  for (const n of PARAM_NAMES) w[n] = w[n].map(() => (r() * 2 - 1) * 0.8);
  gcn.restore(w);
  return gcn;
}

describe('the actor model’s class probabilities', () => {
  it('are the softmax of the head’s logits, per session, in the classes’ order', () => {
    const gcn = randomActorModel(4);
    const graphs = twoActorSessions(6, 2).map(({ graph }) => prepareGraph(graph, hashing, ACTOR_HIDDEN_TYPES));
    const probs = classProbabilities(gcn, embedGraphs({ gcn, hashing }, graphs))!;
    const expected = tf.tidy(() => tf.softmax(gcn.logits(collate(graphs, hashing.dim, 4))).dataSync());
    expect(probs.length).toBe(6 * 4);
    for (let i = 0; i < probs.length; i++) expect(probs[i]).toBeCloseTo(expected[i], 5);
    for (let g = 0; g < 6; g++) expect(probs.subarray(g * 4, g * 4 + 4).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    // the random head tells the sessions apart: not every row the same
    expect(new Set(Array.from({ length: 6 }, (_, g) => probs[g * 4].toFixed(4))).size).toBeGreaterThan(1);
    gcn.dispose();
  });

  it('stay finite when one logit dwarfs the rest', () => {
    const gcn = randomActorModel(3);
    const w = gcn.snapshot();
    w.bo = Float32Array.from([500, 0, -500]);
    gcn.restore(w);
    const probs = classProbabilities(gcn, new Float32Array(8))!;
    expect(Array.from(probs)).toEqual([1, 0, 0]);
    gcn.dispose();
  });

  it('are not given for a model whose head says verbs', () => {
    const gcn = new GcnModel({ inDim: hashing.dim, hidden: 8, labels: 8, layers: 3, seed: 1 });
    expect(classProbabilities(gcn, new Float32Array(16))).toBeNull();
    gcn.dispose();
  });
});
