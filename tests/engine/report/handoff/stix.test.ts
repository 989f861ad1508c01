import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportCase } from '../../../../src/engine/report/export.ts';
import { patternString, stixBundle } from '../../../../src/engine/report/handoff/stix.ts';
import { scoId, uuidv5 } from '../../../../src/engine/report/handoff/stix-ids.ts';
import type { CaseExport } from '../../../../src/engine/report/schema.ts';
import { buildIncidentCase, EVIL, META, type IncidentCase } from '../incident-case.ts';
import { stixProblems } from './stix-rules.ts';

type Obj = Record<string, unknown> & { type: string; id: string };

describe('STIX 2.1 bundle of the incidents', () => {
  let c: IncidentCase;
  let bundle: { type: string; id: string; objects: Obj[] };
  let exp: CaseExport;

  beforeAll(async () => {
    c = await buildIncidentCase();
    const r = await exportCase(c.db, c.dir, { stixPath: join(c.dir, 's.json') });
    exp = r.export;
    bundle = JSON.parse(readFileSync(join(c.dir, 's.json'), 'utf8')) as typeof bundle;
  });
  afterAll(() => {
    c.db.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  const of = (type: string) => bundle.objects.filter((o) => o.type === type);

  it('follows the specification rules: ids, spec_version, millisecond timestamps, required fields, references that resolve', () => {
    expect(stixProblems(bundle)).toEqual([]);
  });

  it('the checker catches what it is meant to', () => {
    const broken = structuredClone(bundle);
    const ind = broken.objects.find((o) => o.type === 'indicator')!;
    ind.created = '2026-11-28T14:00:00Z';
    ind.id = 'indicator--not-a-uuid';
    const sighting = broken.objects.find((o) => o.type === 'sighting')!;
    sighting.observed_data_refs = ['observed-data--00000000-0000-4000-8000-000000000000'];
    const ap = broken.objects.find((o) => o.type === 'attack-pattern')!;
    ap.external_references = [{ source_name: 'capec', external_id: 'CAPEC-1' }];
    const problems = stixProblems(broken).join('\n');
    expect(problems).toContain('created must be a UTC timestamp with milliseconds');
    expect(problems).toContain('is not indicator--UUIDv4/5');
    expect(problems).toContain('does not resolve');
    expect(problems).toContain('lacks a mitre-attack external_id');
  });

  it('names the examiner, each incident as observed-data, indicator and sighting, and ATT&CK attack-patterns', () => {
    const [identity] = of('identity');
    expect(identity).toMatchObject({ name: META.examiner, identity_class: 'individual' });
    expect(of('observed-data')).toHaveLength(exp.incidents.length);
    expect(of('indicator')).toHaveLength(exp.incidents.length);
    expect(of('sighting')).toHaveLength(exp.incidents.length);
    const techniques = [...new Set(exp.incidents.flatMap((i) => i.techniques))].sort();
    const ext = of('attack-pattern').map((a) => (a.external_references as { source_name: string; external_id: string; url: string }[])[0]);
    expect(ext.map((e) => e.external_id)).toEqual(techniques);
    expect(ext.find((e) => e.external_id === 'T1552.007')!.url).toBe('https://attack.mitre.org/techniques/T1552/007/');
    expect(of('attack-pattern').find((a) => (a.external_references as { external_id: string }[])[0].external_id === 'T1611')!.name).toBe('Escape to Host');
    // indicates: one per technique of each incident.
    expect(of('relationship')).toHaveLength(exp.incidents.reduce((n, i) => n + i.techniques.length, 0));
    const top = of('indicator').find((i) => (i.name as string).startsWith('INC-alice-0001'))!;
    expect(top.indicator_types).toEqual(['malicious-activity']);
    expect(top.pattern).toBe("[user-account:user_id = 'alice@example.com'] OR [user-account:user_id = 'system:serviceaccount:default:backdoor'] OR [ipv4-addr:value = '203.0.113.7']");
    const [report] = of('report');
    // Everything but the producing identity and the report itself.
    expect((report.object_refs as string[]).length).toBe(bundle.objects.length - 2);
  });

  it('quotes log strings inside patterns so they stay data', () => {
    expect(patternString("o'brien\\x")).toBe("'o\\'brien\\\\x'");
    const hostile = of('indicator').find((i) => (i.name as string).startsWith('INC-hostile'))!;
    expect(hostile.pattern).toContain(`[user-account:user_id = '${EVIL.user}']`);
  });

  it('gives the same SCO the same id as any producer, and the same SDO ids on re-export', () => {
    // RFC 4122 name-based UUID test value (Python's uuid5(NAMESPACE_DNS, 'python.org')).
    expect(uuidv5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(of('ipv4-addr').map((o) => o.id)).toContain(scoId('ipv4-addr', { value: '203.0.113.7' }));
    const again = stixBundle(exp);
    expect(again.id).not.toBe(bundle.id);
    expect(again.objects.map((o) => o.id)).toEqual(bundle.objects.map((o) => o.id));
  });

  it('an empty case is still a valid bundle', () => {
    expect(stixProblems(stixBundle({ ...exp, incidents: [] }))).toEqual([]);
  });
});
