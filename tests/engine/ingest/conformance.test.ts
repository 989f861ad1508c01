import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, it } from 'vitest';
import { collect, SHARED_DATA } from './helpers.ts';
import { describeWithCorpus } from '../../corpus.ts';

// Every captured sample in ../shared/data decodes into events or clear per-record errors.
describeWithCorpus('captured samples (ingest conformance)')('captured samples', () => {
  it('decodes the 51 Falco trace events and reports the malformed file', async () => {
    const c = await collect([join(SHARED_DATA, 'falco/trace_files')]);
    expect(c.starts).toHaveLength(47);
    expect(c.ends).toHaveLength(47);
    expect(c.events).toHaveLength(51);
    // A file with no audit event in it is said to be one, besides its record's own error.
    expect(c.errors.map((e) => [basename(e.path), e.code])).toEqual([
      ['fal_01_003.json', 'not-audit-event'],
      ['fal_01_003.json', 'no-events'],
    ]);
    expect(new Set(c.events.map((e) => e.format))).toEqual(new Set(['raw']));
    // Every Falco event carries a real time, an auditID, a verb and a user.
    for (const e of c.events) {
      expect(e.timeUs).toBeGreaterThan(Date.UTC(2017, 0, 1) * 1000);
      expect(e.auditID).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.verb).not.toBe('');
      expect(e.missing).not.toContain('timestamp');
    }
    const perFile = Object.fromEntries(c.ends.map((e) => [basename(e.path), e.events]));
    for (const [file, n] of Object.entries(perFile)) {
      expect([file, n]).toEqual([file, file === 'create_configmap_sensitive_values.json' ? 6 : file === 'fal_01_003.json' ? 0 : 1]);
    }
  });

  it('keeps v1beta1 and v1 timestamps to the microsecond', async () => {
    const c = await collect([join(SHARED_DATA, 'falco/trace_files/attach_pod.json')]);
    expect(c.events).toHaveLength(1);
    const e = c.events[0];
    expect(e.timeUs).toBe(Date.UTC(2018, 9, 26, 13, 42, 46) * 1000 + 764713);
    expect(e.stageTimeUs).toBe(Date.UTC(2018, 9, 26, 13, 42, 46) * 1000 + 808261);
    expect([e.stage, e.verb, e.subresource, e.responseCode, e.decision]).toEqual(['ResponseStarted', 'create', 'attach', 101, 'allow']);
    expect(e.origin).toMatchObject({ line: 1, record: 0 });
  });

  it('reads audit2rbac, Stratus, Sysdig AKS and Sumo Logic samples', async () => {
    const dir = join(SHARED_DATA, 'captured');
    const c = await collect([dir]);
    const byFile = Object.fromEntries(c.ends.map((e) => [e.path.slice(dir.length + 1), { events: e.events, errors: e.errors, formats: e.formats }]));
    expect(byFile['audit2rbac/demo.log']).toEqual({ events: 37, errors: 0, formats: ['raw'] });
    // Stratus: two valid samples decode (Datadog-enriched, no time), three have trailing commas.
    for (const f of ['k8s.credential-access.dump-secrets.sample0.json', 'k8s.privilege-escalation.privileged-pod.sample0.json']) {
      expect(byFile[`stratus-red-team/${f}`]).toEqual({ events: 1, errors: 0, formats: ['raw'] });
    }
    for (const f of ['k8s.credential-access.steal-serviceaccount-token.sample0.json', 'k8s.persistence.create-token.sample0.json', 'k8s.privilege-escalation.nodes-proxy.sample0.json']) {
      // The record's json error and the 'no-events' notice.
      expect(byFile[`stratus-red-team/${f}`]).toEqual({ events: 0, errors: 2, formats: [] });
    }
    expect(byFile['sysdig-aks/event.json']).toEqual({ events: 22, errors: 0, formats: ['aks'] });
    expect(byFile['sysdig-aks/sample_EventHubs_event.json']).toEqual({ events: 1, errors: 0, formats: ['aks'] });
    expect(byFile['sysdig-aks/sample_KubeAuditLog_event.json']).toEqual({ events: 1, errors: 0, formats: ['raw'] });
    expect(byFile['sumologic-docs/eks_control_plane.api_server_audit.sample.json']).toEqual({ events: 1, errors: 0, formats: ['eks'] });
    expect(byFile['sumologic-docs/aks.kube-audit.sample.json']).toEqual({ events: 1, errors: 0, formats: ['aks'] });
    // The YAML policy is not JSON: one clear error per line, never a crash.
    expect(byFile['audit2rbac/demo-policy.yaml'].events).toBe(0);

    const stratusErr = c.errors.find((e) => e.path.endsWith('create-token.sample0.json'));
    expect(stratusErr).toMatchObject({ code: 'json', line: 19 });
    expect(stratusErr?.reason).toMatch(/not valid/);
    expect(stratusErr?.excerpt).toContain('"objectRef"');

    const privileged = c.events.find((e) => e.origin.path.endsWith('privileged-pod.sample0.json'));
    expect(privileged).toMatchObject({ verb: 'create', resource: 'pods', responseCode: 201, timeUs: 0 });
    expect(privileged?.missing).toEqual(expect.arrayContaining(['auditID', 'timestamp']));
    expect(privileged?.auditID).toMatch(/^sha256:/);

    const aks = c.events.find((e) => e.origin.path.endsWith('aks.kube-audit.sample.json'));
    expect(aks).toMatchObject({ provider: 'azure', cluster: 'ARC-CLUSTER02', user: 'aksService', verb: 'update', resource: 'leases' });
    const eks = c.events.find((e) => e.format === 'eks');
    expect(eks).toMatchObject({ provider: 'aws', verb: 'get', resource: 'secrets', user: 'system:apiserver', timeUs: Date.UTC(2019, 5, 26, 7, 5, 51) * 1000 + 447627 });
  });

  it('hashes each file as stored and keeps each raw record', async () => {
    const file = join(SHARED_DATA, 'captured/audit2rbac/demo.log');
    const c = await collect([file]);
    expect(c.ends[0].sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(c.ends[0].size).toBe(readFileSync(file).length);
    const lines = readFileSync(file, 'utf8').split('\n');
    c.events.forEach((e, i) => {
      expect(c.raws[i]).toBe(lines[e.origin.line - 1]);
      expect(JSON.parse(c.raws[i]).auditID).toBe(e.auditID);
    });
  });
});
