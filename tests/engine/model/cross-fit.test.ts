import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/engine/model/backend.ts';
import { crossFitClassProbabilities, crossFitFolds } from '../../../src/engine/model/cross-fit.ts';
import { prepareGraph } from '../../../src/engine/model/graph-data.ts';
import { ACTOR_HIDDEN_TYPES, OTHER_ACTOR, actorClasses, actorTarget } from '../../../src/engine/model/objective.ts';
import { ACTOR } from '../../../src/engine/sessions/presets.ts';
import { twoActorSessions } from './actor-fixture.ts';

const hashing = ACTOR.hashing;

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('cross-fitting folds', () => {
  it('cut each identity’s own sessions in time halves, so every identity is on both sides', () => {
    const actors = ['a', 'b', 'a', 'a', 'b', 'c', 'a', 'b', 'b', 'a'];
    const folds = Array.from(crossFitFolds(actors));
    const of = (who: string): number[] => folds.filter((_, i) => actors[i] === who);
    // a: 5 sessions, 2 before its midpoint, the middle one to a's parity (first seen: 0), 2 after
    expect(of('a')).toEqual([0, 0, 0, 1, 1]);
    // b: 4 sessions, two and two, in time order
    expect(of('b')).toEqual([0, 0, 1, 1]);
    // c: one session, third identity seen (order 2): fold 0; a fourth would go to fold 1
    expect(of('c')).toEqual([0]);
    expect(Array.from(crossFitFolds(['a', 'b']))).toEqual([0, 1]);
  });

  it('keep a burst of one identity’s late sessions together, judged by a model of its earlier work', () => {
    // Ten of bob's sessions, the last three a burst run with his stolen credentials.
    const folds = crossFitFolds([...Array.from({ length: 7 }, () => 'bob'), 'alice', ...Array.from({ length: 3 }, () => 'bob')].filter((a) => a === 'bob'));
    expect(Array.from(folds.slice(5))).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(folds.slice(0, 5))).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('cross-fitted class probabilities', () => {
  // alice and bob with their own habits; at the end, three sessions doing alice's work as bob (a
  // stolen identity): they fall in bob's later half, so their judge never trained on them.
  const sessions = twoActorSessions(48, 7);
  const alice = sessions.filter((s) => s.actor === 'alice@example.com');
  const graphs = [...sessions.map((s) => s.graph), ...alice.slice(0, 3).map((s) => s.graph)];
  const actors = [...sessions.map((s) => s.actor), 'bob@example.com', 'bob@example.com', 'bob@example.com'];
  const classes = actorClasses(actors);
  const prepared = graphs.map((g, i) => ({ ...prepareGraph(g, hashing, ACTOR_HIDDEN_TYPES), target: actorTarget(classes, actors[i]) }));

  it('give every session the probabilities of the model that did not train on it, and leak no tensors', async () => {
    const folds = crossFitFolds(actors);
    expect(Array.from(folds.slice(-3))).toEqual([1, 1, 1]);
    const before = tf.memory().numTensors;
    const r = (await crossFitClassProbabilities(prepared, folds, hashing, { classes, hidden: 16, epochs: 40, patience: 40, batchSize: 8, learningRate: 0.02, seed: 1 }))!;
    expect(tf.memory().numTensors).toBe(before);
    const L = classes.length;
    expect(classes.at(-1)).toBe(OTHER_ACTOR);
    expect(r.probs.length).toBe(graphs.length * L);
    for (let g = 0; g < graphs.length; g++) expect(r.probs.subarray(g * L, (g + 1) * L).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    expect(r.folds.map((f) => [f.trainedOn, f.judged])).toEqual([
      [graphs.length - folds.filter((f) => f === 0).length, folds.filter((f) => f === 0).length],
      [graphs.length - folds.filter((f) => f === 1).length, folds.filter((f) => f === 1).length],
    ]);
    const a = classes.indexOf('alice@example.com');
    const b = classes.indexOf('bob@example.com');
    // The stolen-identity sessions: their judge learnt bob from bob's own earlier work only, and calls them alice's.
    for (let g = graphs.length - 3; g < graphs.length; g++) expect(r.probs[g * L + a]).toBeGreaterThan(r.probs[g * L + b]);
    // Honest sessions are still recognised out of sample (their own identity the likeliest).
    const top = (g: number): number => {
      const row = Array.from(r.probs.subarray(g * L, (g + 1) * L));
      return row.indexOf(Math.max(...row));
    };
    const right = sessions.filter((s, g) => top(g) === classes.indexOf(s.actor)).length;
    expect(right).toBeGreaterThan(sessions.length * 0.8);
  });

  it('are not given when a fold would be empty', async () => {
    const one = prepared.slice(0, 1);
    expect(await crossFitClassProbabilities(one, crossFitFolds(actors.slice(0, 1)), hashing, { classes, hidden: 8, epochs: 1 })).toBeNull();
  });

  it('refuse folds that do not match the graphs', async () => {
    await expect(crossFitClassProbabilities(prepared, new Uint8Array(2), hashing, { classes, hidden: 8, epochs: 1 })).rejects.toThrow(/folds/);
  });
});
