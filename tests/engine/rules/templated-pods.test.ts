import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { readBundle } from '../../../src/engine/ingest/index.ts';
import { loadBuiltinRules, runRules } from '../../../src/engine/rules/index.ts';
import { ev, pod } from './events.ts';
import { itWithCorpus } from '../../corpus.ts';

const FALCO = fileURLToPath(new URL('../../../../shared/data/falco/trace_files/', import.meta.url));
const rules = loadBuiltinRules();
const HOST_RULES = ['GS-T1611-PRIVILEGED', 'GS-T1611-HOSTPID', 'GS-T1611-HOSTNETWORK', 'GS-T1611-HOSTIPC', 'GS-T1611-SENSITIVE-MOUNT', 'GS-T1611-HOSTPATH', 'GS-T1611-CAPS'];

const nodeAgentSpec = {
  hostPID: true, hostNetwork: true, hostIPC: true,
  containers: [{ name: 'agent', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } }],
  volumes: [{ name: 'root', hostPath: { path: '/' } }, { name: 'logs', hostPath: { path: '/var/log/pods' } }],
};
const daemonSet = (user: string): AuditEvent =>
  ev({ verb: 'create', resource: 'daemonsets', apiGroup: 'apps', name: 'agent', namespace: 'monitoring', user, requestObject: { kind: 'DaemonSet', spec: { template: { spec: nodeAgentSpec } } } });

/** Severity per host-access rule over the given events (the last hit of each rule wins). */
function severities(events: AuditEvent[]): Record<string, string> {
  const hits = runRules(rules, events).filter((h) => HOST_RULES.includes(h.ruleId));
  return Object.fromEntries(hits.map((h) => [h.ruleId, h.severity]));
}

async function decode(file: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const item of readBundle([FALCO + file])) if (item.type === 'events') events.push(...item.events);
  return events;
}

describe('pods stamped out of a workload template by a kube-system controller', () => {
  it('fire every host-access rule at info, while the workload that carried the template fires at full severity on its creator', () => {
    const byCreator = severities([daemonSet('mallory')]);
    const full = Object.fromEntries(rules.filter((r) => HOST_RULES.includes(r.id)).map((r) => [r.id, r.severity]));
    expect(byCreator).toEqual(full);
    expect(Object.values(full)).not.toContain('info');
    const stamped = severities([pod(nodeAgentSpec, { user: 'system:serviceaccount:kube-system:daemon-set-controller', namespace: 'monitoring' })]);
    expect(stamped).toEqual(Object.fromEntries(HOST_RULES.map((id) => [id, 'info'])));
  });

  it('keeps full severity for the same pod from anyone else, including look-alike service accounts outside kube-system', () => {
    for (const user of ['alice', 'system:serviceaccount:ci:deploy-controller', 'system:serviceaccount:kube-system:default', 'system:serviceaccount:kube-system:daemon-set-controller-x:y']) {
      const got = severities([pod(nodeAgentSpec, { user })]);
      expect(Object.keys(got).sort(), user).toEqual([...HOST_RULES].sort());
      expect(Object.values(got), user).not.toContain('info');
    }
    // A controller writing something other than a pod (a workload it manages) is not a stamped pod.
    expect(Object.values(severities([daemonSet('system:serviceaccount:kube-system:generic-garbage-collector-controller')]))).not.toContain('info');
  });

  itWithCorpus('Falco trace files (templated pods)')("still flags Falco's real replicaset-controller pods, at info", async () => {
    for (const [file, ruleId] of [['create_nginx_pod_privileged.json', 'GS-T1611-PRIVILEGED'], ['create_nginx_pod_hostnetwork.json', 'GS-T1611-HOSTNETWORK'], ['create_nginx_pod_sensitive_mount.json', 'GS-T1611-SENSITIVE-MOUNT']]) {
      const events = await decode(file);
      expect(events[0].user).toBe('system:serviceaccount:kube-system:replicaset-controller');
      const hits = runRules(rules, events).filter((h) => h.ruleId === ruleId);
      expect(hits.map((h) => h.severity), file).toEqual(['info']);
    }
  });
});
