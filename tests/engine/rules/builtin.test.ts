import { describe, expect, it } from 'vitest';
import { loadBuiltinRules, runRules, SEVERITY_RANK } from '../../../src/engine/rules/index.ts';
import { cronjob, deployment, ev, pod } from './events.ts';

const rules = loadBuiltinRules();
const byId = new Map(rules.map((r) => [r.id, r]));

describe('built-in ATT&CK pack', () => {
  it('has at least 25 rules, each fully described', () => {
    expect(rules.length).toBeGreaterThanOrEqual(25);
    for (const r of rules) {
      expect(r.id).toMatch(/^GS-/);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.description.length).toBeGreaterThan(20);
      expect(r.techniques.length).toBeGreaterThan(0);
      for (const t of r.techniques) expect(t).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(r.falsePositives.length).toBeGreaterThan(0);
      expect(r.fields.length).toBeGreaterThan(0);
      expect(SEVERITY_RANK[r.severity]).toBeGreaterThanOrEqual(0);
    }
  });

  it('covers the ATT&CK for Containers techniques audit logs can show', () => {
    const techniques = new Set(rules.flatMap((r) => r.techniques));
    for (const t of ['T1609', 'T1610', 'T1611', 'T1053.007', 'T1528', 'T1078', 'T1098', 'T1552.007', 'T1613', 'T1070', 'T1078.001', 'T1036.005', 'T1485']) {
      expect(techniques.has(t), t).toBe(true);
    }
  });

  it('stays quiet above info on routine control-plane and read traffic', () => {
    const routine = [
      ev({ verb: 'get', resource: 'configmaps', user: 'alice' }),
      pod({}, { user: 'system:serviceaccount:kube-system:replicaset-controller' }),
      pod({ volumes: [{ name: 'cfg', configMap: { name: 'c' } }] }, { user: 'system:serviceaccount:kube-system:replicaset-controller' }),
      ev({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', user: 'system:node:node-1' }),
      ev({ verb: 'list', resource: 'secrets', user: 'system:kube-controller-manager' }),
      ev({ verb: 'create', resource: 'namespaces', name: 'team-a', namespace: null }),
      ev({ verb: 'create', resource: 'configmaps', requestObject: { data: { 'ui.properties': 'color=purple' } } }),
      ev({ user: 'system:anonymous', groups: ['system:unauthenticated'], decision: 'allow', requestURI: '/healthz' }),
      ev({ user: 'system:anonymous', groups: ['system:unauthenticated'], decision: 'forbid', responseCode: 403, requestURI: '/api/v1/secrets' }),
      ev({ verb: 'create', resource: 'pods', name: 'kube-proxy-abc', namespace: 'kube-system', user: 'system:node:n1' }),
      ev({ verb: 'create', resource: 'rolebindings', requestObject: { roleRef: { name: 'view' } } }),
    ];
    const loud = runRules(rules, routine).filter((h) => h.severity !== 'info');
    expect(loud.map((h) => `${h.ruleId}: ${h.detail}`)).toEqual([]);
  });

  it('finds privileged containers in every pod-template shape, and not in a plain pod', () => {
    const r = [byId.get('GS-T1611-PRIVILEGED')!];
    const priv = { containers: [{ name: 'c', securityContext: { privileged: true } }] };
    expect(runRules(r, [pod(priv), deployment(priv), cronjob(priv)])).toHaveLength(3);
    expect(runRules(r, [pod({}), deployment({}), cronjob({ containers: [{ name: 'c', securityContext: { privileged: false } }] })])).toHaveLength(0);
  });

  it('flags kube-namespace pods by their creator or by an image from outside system registries', () => {
    const r = [byId.get('GS-T1610-KUBE-NS-POD')!];
    const rs = 'system:serviceaccount:kube-system:replicaset-controller';
    const img = (image: string) => ({ containers: [{ name: 'c', image }] });
    expect(runRules(r, [pod(img('nginx'), { namespace: 'kube-system', user: rs })])).toHaveLength(1);
    expect(runRules(r, [pod(img('registry.k8s.io/kube-proxy:v1.30.0'), { namespace: 'kube-system', user: rs })])).toHaveLength(0);
    expect(runRules(r, [pod(img('registry.k8s.io/kube-proxy:v1.30.0'), { namespace: 'kube-system', user: 'mallory' })])).toHaveLength(1);
    expect(runRules(r, [pod(img('nginx'), { namespace: 'default', user: rs })])).toHaveLength(0);
  });

  it('reports each burst once, not once per event past the threshold', () => {
    const burst = Array.from({ length: 40 }, (_, i) => ev({ responseCode: 403, timeUs: 1e15 + i * 1e6, user: 'mallory' }));
    const hits = runRules([byId.get('GS-T1613-FORBIDDEN-BURST')!], burst);
    expect(hits).toHaveLength(1);
    expect(hits[0].detail).toContain('mallory');
    // Nine refusals a minute apart never reach ten within a window.
    const slow = Array.from({ length: 30 }, (_, i) => ev({ responseCode: 403, timeUs: 1e15 + i * 61e6 }));
    expect(runRules([byId.get('GS-T1613-FORBIDDEN-BURST')!], slow)).toHaveLength(0);
  });

  it('keeps state per run: reusing the pack for a second run starts clean', () => {
    const r = [byId.get('GS-T1613-FORBIDDEN-BURST')!];
    const nine = Array.from({ length: 9 }, (_, i) => ev({ responseCode: 403, timeUs: 1e15 + i * 1e6 }));
    expect(runRules(r, nine)).toHaveLength(0);
    expect(runRules(r, nine)).toHaveLength(0);
  });
});
