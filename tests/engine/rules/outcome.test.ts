import { describe, expect, it } from 'vitest';
import { loadBuiltinRules, parseSigmaRule, runRules, type RuleHit } from '../../../src/engine/rules/index.ts';
import { deny, ev, pod } from './events.ts';

const rules = loadBuiltinRules();
const byId = (id: string) => rules.filter((r) => r.id === id);
const only = (hits: RuleHit[], id: string): RuleHit => {
  const mine = hits.filter((h) => h.ruleId === id);
  expect(mine, id).toHaveLength(1);
  return mine[0];
};

/** The requests that were reported as done when they had been refused, shaped as kube-apiserver logs them. */
describe('refused requests are attempts, said so in one place for every rule', () => {
  it('a 403 secret read is a denied attempt, not a read', () => {
    const e = ev({ verb: 'get', resource: 'secrets', namespace: 'production', name: 'db-password', user: 'dev@example.com', responseCode: 403, decision: 'forbid' });
    const h = only(runRules(rules, [e]), 'GS-T1552.007-SECRET-READ');
    expect(h).toMatchObject({ outcome: 'denied', title: 'denied: Secret read by a person', severity: 'info' });
    expect(h.detail).toBe('denied (403 Forbidden): dev@example.com get secrets production/db-password');
  });

  it('a 403 exec is a denied exec at low', () => {
    const e = ev({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'web', requestURI: '/api/v1/namespaces/default/pods/web/exec?command=sh&stdin=true&tty=true', responseCode: 403, decision: 'forbid' });
    expect(only(runRules(rules, [e]), 'GS-T1609-EXEC')).toMatchObject({ outcome: 'denied', title: 'denied: Command run in a pod (exec)', severity: 'low' });
  });

  it('a 409 AlreadyExists NodePort create is a failed attempt', () => {
    const e = ev({ verb: 'create', resource: 'services', name: 'web', requestObject: { spec: { type: 'NodePort' } }, responseCode: 409, decision: 'allow' });
    const h = only(runRules(rules, [e]), 'GS-T1133-NODEPORT');
    expect(h).toMatchObject({ outcome: 'failed', title: 'attempted (failed): NodePort service created', severity: 'low' });
    expect(h.detail).toMatch(/^failed \(409 AlreadyExists\): /);
  });

  it('a hostPath pod whose response body says status: Failure is failed even with no code kept', () => {
    const e = pod({ volumes: [{ name: 'root', hostPath: { path: '/' } }] }, {
      responseCode: null, decision: 'allow',
      responseObject: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', message: 'pods "p" is invalid' },
    });
    const h = only(runRules(rules, [e]), 'GS-T1611-SENSITIVE-MOUNT');
    expect(h).toMatchObject({ outcome: 'failed', severity: 'low', title: 'attempted (failed): Sensitive host path mounted' });
    expect(h.detail).toMatch(/^failed \(Invalid\): /);
  });

  it('an event with no answer recorded keeps full severity and says its outcome is unknown', () => {
    const e = pod({ hostPID: true }, { responseCode: null, stage: 'RequestReceived' });
    expect(only(runRules(rules, [e]), 'GS-T1611-HOSTPID')).toMatchObject({ outcome: 'unknown', severity: 'high', title: 'Pod shares the host PID namespace' });
  });

  it('a controller-stamped pod that was refused takes the lower of the two severities', () => {
    const e = deny(pod({ hostPID: true }, { user: 'system:serviceaccount:kube-system:daemon-set-controller' }));
    expect(only(runRules(rules, [e]), 'GS-T1611-HOSTPID').severity).toBe('info');
  });

  it('counts refusals for probing: a burst of denied requests from one actor fires at full severity', () => {
    const events = Array.from({ length: 12 }, (_, i) => deny(ev({ verb: 'get', resource: 'secrets', name: `s${i}`, user: 'mallory', timeUs: 1e15 + i * 1e6 })));
    const hits = runRules(byId('GS-T1613-FORBIDDEN-BURST'), events);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ severity: 'high', title: 'Many forbidden requests from one actor', outcome: 'denied' });
  });

  it('a forbid decision counts as a refusal even where the code was not kept', () => {
    const events = Array.from({ length: 10 }, (_, i) => ev({ user: 'mallory', responseCode: null, decision: 'forbid', timeUs: 1e15 + i * 1e6 }));
    expect(runRules(byId('GS-T1613-FORBIDDEN-BURST'), events)).toHaveLength(1);
  });

  it('Sigma rules: refusals of a request rule are attempts; rules that name response codes keep their hits', () => {
    const yaml = (title: string, sel: string) => `title: ${title}\nid: ${title}\nlevel: high\nlogsource: { product: kubernetes, service: audit }\ndetection:\n  sel:\n${sel}\n  condition: sel\n`;
    const request = parseSigmaRule(yaml('secrets-read', "    objectRef.resource: secrets\n    verb: get"), 'a.yml');
    const refused = parseSigmaRule(yaml('refused', '    responseStatus.code: 403'), 'b.yml');
    const e = deny(ev({ verb: 'get', resource: 'secrets', name: 'db' }));
    const [a, b] = runRules([request, refused], [e]);
    expect(a).toMatchObject({ title: 'denied: secrets-read', severity: 'low', outcome: 'denied' });
    expect(b).toMatchObject({ title: 'refused', severity: 'high', outcome: 'denied' });
  });
});
