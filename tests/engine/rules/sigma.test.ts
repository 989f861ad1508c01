import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../../src/engine/ingest/index.ts';
import { exampleEvents, loadSigmaRules, parseSigmaRule, runRules, type SigmaLoadError } from '../../../src/engine/rules/index.ts';
import { cidr } from '../../../src/engine/rules/sigma/match.ts';
import { parseCondition, resolveOf } from '../../../src/engine/rules/sigma/condition.ts';
import { ev } from './events.ts';
import { describeWithCorpus } from '../../corpus.ts';

const SIGMA_DIR = fileURLToPath(new URL('../../../../shared/data/sigma/kubernetes-audit/', import.meta.url));

const rule = (detection: string, extra = ''): string =>
  `title: t\nid: x-1\nlevel: high\ntags: [attack.t1609, attack.execution]\n${extra}logsource:\n  product: kubernetes\n  service: audit\ndetection:\n${detection}`;

describeWithCorpus('SigmaHQ rule suite')('SigmaHQ kubernetes/audit rules', () => {
  const rules = loadSigmaRules(SIGMA_DIR);

  it('loads all 16 with their attribution, status, level and techniques', () => {
    expect(rules).toHaveLength(16);
    for (const r of rules) {
      expect(r.source).toBe('sigma');
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.author).toBeTruthy();
      expect(r.status).toMatch(/^(test|experimental|stable)$/);
    }
    const exec = rules.find((r) => r.id === 'a1b0ca4e-7835-413e-8471-3ff2b8a66be6')!;
    expect(exec.author).toBe('Leo Tsaousis (@laripping)');
    expect(exec.severity).toBe('medium');
    expect(exec.techniques).toEqual(['T1609']);
    expect(rules.find((r) => r.id === 'eed82177-38f5-4299-8a76-098d50d225ab')!.techniques).toEqual(['T1078', 'T1552', 'T1552.007']);
  });

  it('each fires on an event built from its own selection and not on a one-field near miss', () => {
    for (const r of rules) {
      const { match, miss } = exampleEvents(r);
      const hits = runRules([r], [match]);
      expect(hits, `${r.title} should match`).toHaveLength(1);
      expect(hits[0]).toMatchObject({ ruleId: r.id, auditID: match.auditID, techniques: r.techniques });
      expect(runRules([r], [miss]), `${r.title} near miss`).toHaveLength(0);
    }
  });

  it('fires on hand-written events in the shape real clusters log', () => {
    const byId = new Map(rules.map((r) => [r.id, r]));
    const fire = (id: string, e: ReturnType<typeof ev>) => runRules([byId.get(id)!], [e]).length;
    const exec = ev({ verb: 'create', resource: 'pods', subresource: 'exec', requestURI: '/api/v1/namespaces/default/pods/web/exec?command=%2Fbin%2Fsh&stdin=true', decision: 'allow' });
    expect(fire('a1b0ca4e-7835-413e-8471-3ff2b8a66be6', exec)).toBe(1);
    // The enumeration rule wants an allowed request with a shell in the URI.
    expect(fire('597a7e84-187d-458b-9e4f-2f5a0e676711', exec)).toBe(1);
    expect(fire('597a7e84-187d-458b-9e4f-2f5a0e676711', { ...exec, decision: 'forbid' })).toBe(0);
    const hostPathPod = ev({ verb: 'create', resource: 'pods', requestObject: { spec: { containers: [{ name: 'a' }], volumes: [{ name: 'r', hostPath: { path: '/' } }] } } });
    expect(fire('402b955c-8fe0-4a8c-b635-622b4ac5f902', hostPathPod)).toBe(1);
    expect(fire('402b955c-8fe0-4a8c-b635-622b4ac5f902', ev({ verb: 'create', resource: 'pods', requestObject: { spec: { containers: [] } } }))).toBe(0);
    expect(fire('0d933542-1f1f-420d-97d4-21b2c3c492d9', ev({ responseCode: 403 }))).toBe(1);
    expect(fire('0d933542-1f1f-420d-97d4-21b2c3c492d9', ev({ responseCode: 200 }))).toBe(0);
  });
});

describe('Sigma conditions and modifiers', () => {
  it('parses and/or/not/parentheses with the usual precedence', () => {
    expect(parseCondition('a or b and not c')).toEqual({ op: 'or', args: [{ op: 'ref', name: 'a' }, { op: 'and', args: [{ op: 'ref', name: 'b' }, { op: 'not', arg: { op: 'ref', name: 'c' } }] }] });
    expect(parseCondition('(a or b) and 1 of sel_*')).toMatchObject({ op: 'and', args: [{ op: 'or' }, { op: 'of', quantifier: 'one', pattern: 'sel_*' }] });
    expect(() => parseCondition('a and (b')).toThrow(/missing/);
    expect(() => parseCondition('sel | count() > 5')).toThrow(/aggregation/);
  });

  it('evaluates lists of maps, |all, |re, |cidr, |exists, |startswith and all of them', () => {
    const r = parseSigmaRule(rule(`  sel_a:
    - verb: delete
    - verb: create
      objectRef.resource|startswith: secr
  sel_b:
    sourceIPs|cidr: 10.0.0.0/8
    user.groups|all: [system:authenticated, dev]
  sel_c:
    requestURI|re: '^/api/v1/namespaces/[a-z]+/secrets$'
    objectRef.subresource|exists: false
  condition: all of them
`), 'inline');
    const ok = ev({ verb: 'create', resource: 'secrets', sourceIPs: ['10.2.3.4'], groups: ['system:authenticated', 'dev'], requestURI: '/api/v1/namespaces/prod/secrets', subresource: null });
    expect(runRules([r], [ok])).toHaveLength(1);
    expect(runRules([r], [{ ...ok, sourceIPs: ['192.168.1.1'] }])).toHaveLength(0);
    expect(runRules([r], [{ ...ok, groups: ['system:authenticated'] }])).toHaveLength(0);
    expect(runRules([r], [{ ...ok, verb: 'update' }])).toHaveLength(0);
    expect(runRules([r], [{ ...ok, verb: 'delete', resource: 'pods' }])).toHaveLength(1);
    expect(runRules([r], [{ ...ok, subresource: 'status' }])).toHaveLength(0);
    expect(runRules([r], [{ ...ok, requestURI: '/api/v1/namespaces/PROD/secrets' }])).toHaveLength(0);
  });

  it('matches strings case-insensitively with wildcards, numbers exactly, and reaches into request bodies', () => {
    const r = parseSigmaRule(rule(`  sel:
    userAgent: 'KUBECTL/*'
    responseStatus.code: 201
    requestObject.spec.containers.image|endswith: ':latest'
  condition: sel
`), 'inline');
    const e = ev({ userAgent: 'kubectl/v1.30', responseCode: 201, requestObject: { spec: { containers: [{ image: 'a:1' }, { image: 'evil:LATEST' }] } } });
    expect(runRules([r], [e])).toHaveLength(1);
    expect(runRules([r], [{ ...e, responseCode: 200 }])).toHaveLength(0);
    expect(runRules([r], [{ ...e, userAgent: 'curl/8' }])).toHaveLength(0);
  });

  it('checks CIDR ranges for IPv4 and IPv6', () => {
    expect(cidr('10.0.0.0/8')('10.255.0.1')).toBe(true);
    expect(cidr('10.0.0.0/8')('11.0.0.1')).toBe(false);
    expect(cidr('fd00::/8')('fd12:3456::1')).toBe(true);
    expect(cidr('fd00::/8')('fe80::1')).toBe(false);
    expect(cidr('::1/128')('::1')).toBe(true);
    expect(cidr('10.0.0.0/8')('::1')).toBe(false);
  });

  it('rejects what it cannot honour, naming the file, and keeps loading the rest of a folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gumshoe-sigma-'));
    mkdirSync(path.join(dir, 'nested'));
    writeFileSync(path.join(dir, 'good.yml'), rule('  sel:\n    verb: delete\n  condition: sel\n'));
    writeFileSync(path.join(dir, 'nested', 'good2.yaml'), rule('  sel:\n    verb: get\n  condition: sel\n').replace('x-1', 'x-2'));
    writeFileSync(path.join(dir, 'typo.yml'), rule('  sel:\n    verb: delete\n  condition: selection\n'));
    writeFileSync(path.join(dir, 'field.yml'), rule('  sel:\n    nosuch.field: 1\n  condition: sel\n'));
    writeFileSync(path.join(dir, 'mod.yml'), rule('  sel:\n    verb|base64: x\n  condition: sel\n'));
    writeFileSync(path.join(dir, 'other.yml'), rule('  sel:\n    verb: x\n  condition: sel\n').replace('product: kubernetes', 'product: windows'));
    writeFileSync(path.join(dir, 'notes.txt'), 'not a rule');
    const errors: SigmaLoadError[] = [];
    const loaded = loadSigmaRules(dir, (e) => errors.push(e));
    expect(loaded.map((r) => r.id).sort()).toEqual(['x-1', 'x-2']);
    const reasons = Object.fromEntries(errors.map((e) => [path.basename(e.path), e.message]));
    expect(reasons['typo.yml']).toMatch(/does not define/);
    expect(reasons['field.yml']).toMatch(/no mapping/);
    expect(reasons['mod.yml']).toMatch(/base64/);
    expect(reasons['other.yml']).toMatch(/kubernetes\/audit/);
    expect(() => loadSigmaRules(dir)).toThrow(/\.yml: /);
    expect(() => loadSigmaRules(path.join(dir, 'missing'))).toThrow(/no such/);
  });
});

describeWithCorpus('SigmaHQ rule suite')('SigmaHQ rules on captured events (Falco trace files)', () => {
  const TRACES = fileURLToPath(new URL('../../../../shared/data/falco/trace_files/', import.meta.url));
  /** Sigma rule id → a captured event it was written for. */
  const CAPTURED: [string, string][] = [
    ['a1b0ca4e-7835-413e-8471-3ff2b8a66be6', 'exec_pod.json'],
    ['402b955c-8fe0-4a8c-b635-622b4ac5f902', 'create_nginx_pod_sensitive_mount.json'],
    ['a80d927d-ac6e-443f-a867-e8d6e3897318', 'create_pod_kube_system_namespace.json'],
    ['10b97915-ec8d-455f-a815-9a78926585f6', 'attach_cluster_admin_role.json'],
    ['58d31a75-a4f8-4c40-985b-373d58162ca2', 'delete_secret.json'],
    ['e31bae15-83ed-473e-bf31-faf4f8a17d36', 'create_serviceaccount.json'],
    ['40967487-139b-4811-81d9-c9767a92aa5a', 'delete_deployment.json'],
  ];

  it('fire on the real events they describe, and not on unrelated ones', async () => {
    const rules = new Map(loadSigmaRules(SIGMA_DIR).map((r) => [r.id, r]));
    const eventsOf = async (file: string) => {
      const out = [];
      for await (const item of readBundle([TRACES + file])) if (item.type === 'events') out.push(...item.events);
      return out;
    };
    const unrelated = await eventsOf('create_configmap.json');
    for (const [id, file] of CAPTURED) {
      const events = await eventsOf(file);
      expect(events.length, file).toBeGreaterThan(0);
      expect(runRules([rules.get(id)!], events).length, `${id} on ${file}`).toBeGreaterThan(0);
      expect(runRules([rules.get(id)!], unrelated), `${id} on create_configmap.json`).toHaveLength(0);
    }
  });
});

describe('Sigma `of` resolution', () => {
  it('expands `1 of` / `all of` at load into or / and over the named selections', () => {
    const names = ['sel_a', 'sel_b', 'filter'];
    expect(resolveOf(parseCondition('1 of sel_* and not filter'), names)).toEqual({
      op: 'and',
      args: [{ op: 'or', args: [{ op: 'ref', name: 'sel_a' }, { op: 'ref', name: 'sel_b' }] }, { op: 'not', arg: { op: 'ref', name: 'filter' } }],
    });
    expect(resolveOf(parseCondition('all of them'), names)).toMatchObject({ op: 'and', args: [{}, {}, {}] });
  });
});
