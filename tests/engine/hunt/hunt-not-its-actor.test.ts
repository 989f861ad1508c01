import { describe, expect, it } from 'vitest';
import { NOT_ITS_ACTOR_DEFAULT, runHunt } from '../../../src/engine/hunt/hunt.ts';
import type { EmbeddingSet } from '../../../src/engine/hunt/types.ts';
import { distanceScorer, tinyCase } from './case-fixture.ts';

describe('the hunt and the actor model’s own verdict', () => {
  // alice's sessions alone, as actor sessions; the actor model takes every one for hers but session 20.
  const { events, sessions: all } = tinyCase();
  const sessions = all.filter((s) => s.id <= 25).map((s) => ({ ...s, actor: 'alice' }));
  const byId = new Map(events.map((e) => [e.auditID, e]));
  const ids = sessions.map((s) => s.id);
  const embeddings: EmbeddingSet = {
    sessionIds: ids,
    dim: 2,
    data: Float32Array.from(ids.flatMap((id) => [0.1 * (id % 3), 0.05 * (id % 5)])),
    actorClasses: { classes: ['alice', '(other)'], probs: Float32Array.from(ids.flatMap((id) => (id === 20 ? [0.05, 0.95] : [0.95, 0.05]))) },
  };
  const input = { sessions, events: () => events.filter((e) => e.auditID.startsWith('a-')), getEvents: (a: string[]) => a.map((id) => byId.get(id)!), embeddings, ruleHits: [], scorer: distanceScorer };
  const verdictOf = (r: Awaited<ReturnType<typeof runHunt>>): (number | undefined)[] => r.findings.filter((f) => f.reasons.some((x) => x.kind === 'not-its-actor')).map((f) => f.sessionId);

  it('passes the model’s answer through to the session’s evidence when asked, and says so in the metrics', async () => {
    // Every session a finding (minRisk 0), so what changes is the reason, not the threshold.
    const on = await runHunt(input, { minRisk: 0, notItsActor: true });
    expect(verdictOf(on)).toEqual([20]);
    expect(on.metrics.notItsActor).toBe('true');
    const off = await runHunt(input, { minRisk: 0, notItsActor: false });
    expect(verdictOf(off)).toEqual([]);
    expect(off.metrics.notItsActor).toBe('false');
    const noModel = await runHunt(input, { minRisk: 0, notItsActor: true, model: false });
    expect(verdictOf(noModel)).toEqual([]);
    const byDefault = await runHunt(input, { minRisk: 0 });
    expect(verdictOf(byDefault).length).toBe(NOT_ITS_ACTOR_DEFAULT ? 1 : 0);
  });
});
