import { describe, expect, it } from 'vitest';
import { buildFamiliarity, familiarity } from '../../../src/engine/hunt/familiarity.ts';
import { buildProfile } from '../../../src/engine/hunt/profile.ts';
import { atTimeText } from '../../../src/engine/hunt/time.ts';
import type { HuntRuleHit } from '../../../src/engine/hunt/types.ts';
import { ev, T0 } from './case-fixture.ts';

// Events with no time anywhere (the Stratus Red Team samples in ../shared/data/captured) are kept
// by the ingest at timeUs 0 with 'time' in `missing`. Reasons must say so, not "1970-01-01".
describe('undated events in reasons', () => {
  it('says "time unknown" where a first-seen time would be 1970', () => {
    const undated = { ...ev('s-1', 0, 'create', 'kubernetes-admin', '198.51.100.23', 'stratus-red-team', 'pods'), missing: ['auditID', 'timestamp', 'time'] };
    const hit: HuntRuleHit = { ruleId: 'GS-T1611-PRIVILEGED', title: 'Privileged container', severity: 'high', techniques: ['T1611'], auditID: 's-1', timeUs: 0, user: 'kubernetes-admin', sourceIPs: ['198.51.100.23'] };
    const ctx = buildFamiliarity([hit], buildProfile([], () => [undated]));
    const texts = familiarity(ctx, { ruleId: hit.ruleId, user: hit.user, hits: [hit], startUs: 0 }, 0.8).reasons.map((r) => r.text);
    expect(texts.some((t) => t.startsWith('New username kubernetes-admin'))).toBe(true);
    for (const t of texts) expect(t).not.toContain('1970');
    expect(texts.filter((t) => t.includes('(time unknown)')).length).toBeGreaterThan(0);
  });

  it('prints a real time as before', () => {
    expect(atTimeText(T0)).toBe('at 2026-01-05T09:00:00.000000Z');
    expect(atTimeText(T0, 'from')).toBe('from 2026-01-05T09:00:00.000000Z');
    expect(atTimeText(0)).toBe('(time unknown)');
  });
});
