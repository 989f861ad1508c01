import { describe, expect, it } from 'vitest';
import { attemptSeverityFor, loadBuiltinRules, outcomeOf, runRules, SEVERITY_RANK, type Rule } from '../../../src/engine/rules/index.ts';
import { fail } from './events.ts';
import { EXAMPLES } from './examples.ts';

const rules = loadBuiltinRules();

/** Hits of one rule on the last event of a sequence. */
const onLast = (r: Rule, events: ReturnType<typeof fail>[]) => runRules([r], events).filter((h) => h.auditID === events.at(-1)!.auditID);

describe('every built-in rule has a positive, a negative and a denied example', () => {
  it('no rule is without all three, and no example names a rule that does not exist', () => {
    const ids = rules.map((r) => r.id);
    const missing = ids.filter((id) => {
      const x = EXAMPLES[id] as (typeof EXAMPLES)[string] | undefined;
      return !x || x.fires.length === 0 || x.quiet.length === 0 || x.denied.length === 0;
    });
    expect(missing, 'rules without fires/quiet/denied examples in tests/engine/rules/examples.ts').toEqual([]);
    expect(Object.keys(EXAMPLES).filter((id) => !ids.includes(id))).toEqual([]);
  });

  for (const r of rules) {
    describe(r.id, () => {
      const x = EXAMPLES[r.id] ?? { fires: [], quiet: [], denied: [] };

      it('fires on its positive example at full severity, untitled as an attempt', () => {
        const hits = onLast(r, x.fires);
        expect(hits).toHaveLength(1);
        // Burst rules about refusals fire on refusals; every other positive is a success.
        const outcome = r.attempts === 'as-is' ? outcomeOf(x.fires.at(-1)!) : 'success';
        expect(hits[0]).toMatchObject({ ruleId: r.id, title: r.title, outcome, attempt: false });
        expect(SEVERITY_RANK[hits[0].severity]).toBeGreaterThanOrEqual(SEVERITY_RANK[r.severity]);
        expect(hits[0].detail.length).toBeGreaterThan(0);
      });

      it('stays quiet on its near misses', () => {
        expect(runRules([r], x.quiet).map((h) => h.detail)).toEqual([]);
      });

      it('treats its denied example as its attempt policy says', () => {
        const hits = onLast(r, x.denied);
        if (r.attempts === 'skip') {
          expect(hits).toEqual([]);
          return;
        }
        expect(hits).toHaveLength(1);
        expect(hits[0].outcome).toBe('denied');
        if (r.attempts === 'as-is') {
          expect(hits[0]).toMatchObject({ title: r.title, attempt: false });
          return;
        }
        expect(hits[0]).toMatchObject({ title: `denied: ${r.title}`, attempt: true });
        expect(hits[0].detail).toMatch(/^denied \(403 Forbidden\): /);
        expect(hits[0].severity).toBe(r.attemptSeverity ?? attemptSeverityFor(r.severity));
        if (r.severity !== 'info') expect(SEVERITY_RANK[hits[0].severity]).toBeLessThan(SEVERITY_RANK[r.severity]);
      });

      if (r.attempts === undefined || r.attempts === 'lower') {
        it('reports its positive example as a failed attempt when the server refused it', () => {
          const failed = [...x.fires.slice(0, -1), fail(x.fires.at(-1)!)];
          const hits = onLast(r, failed);
          expect(hits).toHaveLength(1);
          expect(hits[0]).toMatchObject({ outcome: 'failed', title: `attempted (failed): ${r.title}`, attempt: true });
          expect(hits[0].detail).toMatch(/^failed \((409 AlreadyExists|422 Invalid)\): /);
          expect(SEVERITY_RANK[hits[0].severity]).toBeLessThanOrEqual(SEVERITY_RANK[attemptSeverityFor(r.severity)]);
        });
      }
    });
  }
});
