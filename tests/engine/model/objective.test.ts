import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/engine/model/backend.ts';
import { collate } from '../../../src/engine/model/batch.ts';
import { embedGraphs } from '../../../src/engine/model/embed.ts';
import { FusedGcn } from '../../../src/engine/model/fused.ts';
import { GcnModel, PARAM_NAMES } from '../../../src/engine/model/gcn.ts';
import { prepareGraph } from '../../../src/engine/model/graph-data.ts';
import { ACTOR_HIDDEN_TYPES, actorClasses, actorOfPartition, actorTarget, defaultObjective, MAX_ACTOR_CLASSES, OTHER_ACTOR } from '../../../src/engine/model/objective.ts';
import { trainGcn } from '../../../src/engine/model/train.ts';
import { ACTOR } from '../../../src/engine/sessions/presets.ts';
import { actorGraph, twoActorSessions } from './actor-fixture.ts';

const hashing = ACTOR.hashing;

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('actor classes', () => {
  it('keeps identities with a habit, most active first, and pools the rest as other', () => {
    const sessions = [...Array(5).fill('node-a'), ...Array(3).fill('bob'), ...Array(3).fill('alice'), 'erin', 'erin'];
    const classes = actorClasses(sessions);
    expect(classes).toEqual(['node-a', 'alice', 'bob', OTHER_ACTOR]);
    expect(actorTarget(classes, 'bob')).toBe(2);
    expect(actorTarget(classes, 'erin')).toBe(3);
    expect(actorTarget(classes, OTHER_ACTOR)).toBe(3);
  });

  it('caps the classes', () => {
    const sessions = Array.from({ length: 3 * (MAX_ACTOR_CLASSES + 5) }, (_, i) => `sa-${String(i % (MAX_ACTOR_CLASSES + 5)).padStart(2, '0')}`);
    const classes = actorClasses(sessions);
    expect(classes.length).toBe(MAX_ACTOR_CLASSES + 1);
    expect(classes.at(-1)).toBe(OTHER_ACTOR);
  });

  it('is what actor sessions train on by default; the talk\'s cluster minute keeps its verbs', () => {
    expect(defaultObjective('actor')).toBe('actor');
    expect(defaultObjective('actor-ip')).toBe('actor');
    expect(defaultObjective('seed')).toBe('verbs');
  });

  it('reads the identity from an actor partition key', () => {
    expect(actorOfPartition('*|system:serviceaccount:kube-system:coredns')).toBe('system:serviceaccount:kube-system:coredns');
    expect(actorOfPartition('prod|alice@example.com|10.0.0.1')).toBe('alice@example.com');
  });
});

describe('the actor objective hides who is acting', () => {
  it('gives two sessions that differ only in user, address and client the same input and embedding', () => {
    const events = [{ object: '/api/v1/namespaces/web/configmaps/site', resource: 'configmaps', namespace: 'web', code: '200' }];
    const a = actorGraph({ user: 'alice@example.com', ip: '10.0.1.10', agent: 'kubectl/v1.29.0' }, events);
    const b = actorGraph({ user: 'mallory@example.com', ip: '203.0.113.9', agent: 'curl/8.4.0' }, events);
    expect(ACTOR_HIDDEN_TYPES).toEqual(expect.arrayContaining(['user', 'impersonator', 'ip', 'agent', 'group']));
    // visible to the verbs objective…
    expect(prepareGraph(a, hashing).ax).not.toEqual(prepareGraph(b, hashing).ax);
    // …hidden from the actor objective, structure kept
    const pa = prepareGraph(a, hashing, ACTOR_HIDDEN_TYPES);
    const pb = prepareGraph(b, hashing, ACTOR_HIDDEN_TYPES);
    expect(pa.ax).toEqual(pb.ax);
    expect(pa.val).toEqual(prepareGraph(a, hashing).val);
    const gcn = new GcnModel({ inDim: hashing.dim, hidden: 16, labels: 3, layers: 3, seed: 2, objective: 'actor', classes: ['alice@example.com', 'bob@example.com', OTHER_ACTOR] });
    // embedGraphs prepares raw graphs the way the model's objective was trained
    const [ea, eb] = [embedGraphs({ gcn, hashing }, [a]), embedGraphs({ gcn, hashing }, [b])];
    expect(ea).toEqual(eb);
    expect(ea.some((v) => v !== 0)).toBe(true);
    gcn.dispose();
  });
});

describe('softmax head on the fused path', () => {
  it('gives the same loss and gradients as tfjs softmaxCrossEntropy', () => {
    const classes = ['alice@example.com', 'bob@example.com', OTHER_ACTOR];
    const config = { inDim: hashing.dim, hidden: 16, labels: 3, layers: 3 as const, seed: 7, objective: 'actor' as const, classes };
    const graphs = twoActorSessions(12, 3).map(({ graph, actor }) => ({ ...prepareGraph(graph, hashing, ACTOR_HIDDEN_TYPES), target: actorTarget(classes, actor) }));
    const model = new GcnModel(config);
    const { value, grads } = tf.variableGrads(() => model.loss(collate(graphs, hashing.dim, 3)));
    const fused = FusedGcn.create(config)!;
    fused.setWeights(model.snapshot());
    fused.load(graphs);
    expect(fused.lossAndGrad()).toBeCloseTo(value.dataSync()[0], 5);
    for (const n of PARAM_NAMES) {
      const g = grads[model.params[n].name].dataSync();
      let err = 0;
      let max = 1e-6;
      fused.grad(n).forEach((v, i) => {
        err = Math.max(err, Math.abs(v - g[i]));
        max = Math.max(max, Math.abs(g[i]));
      });
      expect(err / max, n).toBeLessThan(1e-4);
    }
    tf.dispose([value, ...Object.values(grads)]);
    model.dispose();
  });
});

/** Share of sessions whose nearest other session in embedding space is the same actor's (chance: 0.5 here). */
function nearestSameActor(emb: Float32Array, dim: number, actors: readonly string[]): number {
  let same = 0;
  for (let i = 0; i < actors.length; i++) {
    let best = Infinity;
    let who = '';
    for (let j = 0; j < actors.length; j++) {
      if (j === i) continue;
      let d = 0;
      for (let k = 0; k < dim; k++) d += (emb[i * dim + k] - emb[j * dim + k]) ** 2;
      if (d < best) [best, who] = [d, actors[j]];
    }
    if (who === actors[i]) same++;
  }
  return same / actors.length;
}

describe('training on the actor objective', () => {
  it('lowers the loss and separates two actors by what their sessions touch', async () => {
    const sessions = twoActorSessions(80, 11);
    const actors = sessions.map((s) => s.actor);
    const classes = actorClasses(actors);
    expect(classes).toEqual(['alice@example.com', 'bob@example.com', OTHER_ACTOR]);
    const prepared = sessions.map(({ graph, actor }) => ({ ...prepareGraph(graph, hashing, ACTOR_HIDDEN_TYPES), target: actorTarget(classes, actor) }));
    const r = await trainGcn(prepared, hashing.dim, { hidden: 16, epochs: 8, patience: 10, seed: 3, learningRate: 0.01, batchSize: 16, objective: 'actor', classes });
    expect(r.model.config.objective).toBe('actor');
    expect(r.history.at(-1)!.loss).toBeLessThan(r.history[0].loss);
    expect(Object.keys(r.validation.perLabel)).toEqual(classes);
    // held-out sessions (the last 20 %, the future) are told apart: micro-F1 is the accuracy here
    expect(r.validation.micro).toBeGreaterThan(0.9);
    const emb = embedGraphs({ gcn: r.model, hashing }, sessions.map((s) => s.graph));
    expect(nearestSameActor(emb, 16, actors)).toBeGreaterThan(0.9);
    r.model.dispose();
  });

  it('takes the same steps on the tfjs reference path and split with a helper thread', async () => {
    const sessions = twoActorSessions(40, 5);
    const classes = actorClasses(sessions.map((s) => s.actor));
    const prepared = sessions.map(({ graph, actor }) => ({ ...prepareGraph(graph, hashing, ACTOR_HIDDEN_TYPES), target: actorTarget(classes, actor) }));
    const run = (o: { engine?: 'tfjs'; threads?: 2 }) => trainGcn(prepared, hashing.dim, { hidden: 16, epochs: 3, patience: 10, seed: 4, learningRate: 0.01, batchSize: 16, objective: 'actor', classes, ...o });
    const fused = await run({});
    for (const other of [await run({ engine: 'tfjs' }), await run({ threads: 2 })]) {
      expect(other.history.map((h) => h.loss)).toEqual(fused.history.map((h) => expect.closeTo(h.loss, 3)));
      expect(other.history.map((h) => h.valLoss)).toEqual(fused.history.map((h) => expect.closeTo(h.valLoss, 3)));
      expect(other.validation.micro).toBeCloseTo(fused.validation.micro, 2);
      other.model.dispose();
    }
    fused.model.dispose();
  });

  it('needs its classes', async () => {
    const prepared = twoActorSessions(12, 1).map(({ graph }) => prepareGraph(graph, hashing, ACTOR_HIDDEN_TYPES));
    await expect(trainGcn(prepared, hashing.dim, { objective: 'actor' })).rejects.toThrow(/classes/);
  });
});
