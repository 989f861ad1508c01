import { describe, expect, it } from 'vitest';
import { csrSubject } from '../../../src/engine/rules/builtin/certificates.ts';
import { copyDirection } from '../../../src/engine/rules/builtin/exec.ts';
import { loadBuiltinRules, runRules } from '../../../src/engine/rules/index.ts';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { ev } from './events.ts';
import { CSR_JANE, CSR_MASTERS } from './examples.ts';

const rules = loadBuiltinRules();
const run = (id: string, events: AuditEvent[]) => runRules(rules.filter((r) => r.id === id), events);

const binding = (resource: string, roleName: string, subjects: Record<string, string>[]): AuditEvent =>
  ev({ verb: 'create', resource, apiGroup: 'rbac.authorization.k8s.io', name: 'b', namespace: resource === 'rolebindings' ? 'team-a' : null, requestObject: { roleRef: { kind: 'ClusterRole', name: roleName }, subjects } });

describe('the cluster-admin binding rule sees what grants cluster-admin power, not only the name', () => {
  const user = [{ kind: 'User', name: 'mallory' }];
  it('fires on admin or edit granted cluster-wide, and on the system:masters group', () => {
    expect(run('GS-T1098-CLUSTER-ADMIN', [binding('clusterrolebindings', 'admin', user)])[0]?.detail).toContain('admin in every namespace');
    expect(run('GS-T1098-CLUSTER-ADMIN', [binding('clusterrolebindings', 'edit', [{ kind: 'ServiceAccount', name: 'ci' }])])).toHaveLength(1);
    expect(run('GS-T1098-CLUSTER-ADMIN', [binding('clusterrolebindings', 'view', [{ kind: 'Group', name: 'system:masters' }])])[0]?.detail).toContain('system:masters');
    expect(run('GS-T1098-CLUSTER-ADMIN', [binding('rolebindings', 'cluster-admin', user)])).toHaveLength(1);
  });
  it('leaves per-namespace admin and edit alone: that is how teams get their own namespace', () => {
    expect(run('GS-T1098-CLUSTER-ADMIN', [binding('rolebindings', 'admin', user), binding('rolebindings', 'edit', user), binding('clusterrolebindings', 'view', user)])).toEqual([]);
  });
});

describe('the system-role rule covers Roles as well as ClusterRoles', () => {
  it('fires on a changed system: Role in kube-system, not on role bindings or other names', () => {
    expect(run('GS-T1098-SYSTEM-ROLE', [ev({ verb: 'patch', resource: 'roles', namespace: 'kube-system', name: 'system:controller:bootstrap-signer' })])).toHaveLength(1);
    expect(run('GS-T1098-SYSTEM-ROLE', [
      ev({ verb: 'patch', resource: 'rolebindings', namespace: 'kube-system', name: 'system:controller:bootstrap-signer' }),
      ev({ verb: 'patch', resource: 'roles', namespace: 'kube-system', name: 'app-reader' }),
    ])).toEqual([]);
  });
});

describe('kubectl cp is told apart from a shell', () => {
  it('reads the direction from tar’s short options', () => {
    expect(copyDirection(['tar', 'cf', '-', '/etc'])).toBe('out');
    expect(copyDirection(['/bin/tar', '--no-same-permissions', '--no-same-owner', '-xmf', '-', '-C', '/tmp'])).toBe('in');
    expect(copyDirection(['tar', 'xf', '-'])).toBe('in');
    expect(copyDirection(['sh', '-c', 'tar cf - /etc'])).toBeNull();
    expect(copyDirection(['tar', '--version'])).toBeNull();
    expect(copyDirection([])).toBeNull();
  });
  it('says whether an exec is an interactive shell or a one-off command', () => {
    const uri = (q: string) => `/api/v1/namespaces/default/pods/web/exec?${q}`;
    const shell = ev({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'web', requestURI: uri('command=%2Fbin%2Fbash&container=app&stdin=true&stdout=true&tty=true') });
    const once = ev({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'web', requestURI: uri('command=cat&command=%2Fetc%2Fpasswd&container=app&stdout=true') });
    const [a, b] = run('GS-T1609-EXEC', [shell, once]);
    expect(a.detail).toBe('interactive shell `/bin/bash` in pod default/web');
    expect(b.detail).toBe('`cat /etc/passwd` in pod default/web');
  });
});

const csr = (request: string, user = 'alice'): AuditEvent =>
  ev({ verb: 'create', resource: 'certificatesigningrequests', name: 'c', namespace: null, user, requestObject: { spec: { signerName: 'kubernetes.io/kube-apiserver-client', request, usages: ['client auth'] } } });

describe('client-certificate requests', () => {
  it('reads the subject a CSR asks for out of its PEM request', () => {
    expect(csrSubject(CSR_MASTERS)).toEqual({ cn: ['mallory'], o: ['system:masters'] });
    expect(csrSubject(CSR_JANE)).toEqual({ cn: ['jane'], o: ['dev-team'] });
    expect(csrSubject('bm90IGEgY3Ny')).toBeNull();
    expect(csrSubject(undefined)).toBeNull();
  });
  it('rates a request for system:masters above an ordinary one', () => {
    const [masters] = run('GS-T1649-CSR-CLIENT', [csr(CSR_MASTERS)]);
    const [jane] = run('GS-T1649-CSR-CLIENT', [csr(CSR_JANE)]);
    expect(masters).toMatchObject({ severity: 'high' });
    expect(masters.detail).toContain('CN=mallory O=system:masters');
    expect(jane).toMatchObject({ severity: 'medium' });
  });
  it('fires on a kubelet-client request only when it does not come from a kubelet', () => {
    const kubelet = (user: string) => ev({ verb: 'create', resource: 'certificatesigningrequests', name: 'c', namespace: null, user, requestObject: { spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', request: CSR_JANE } } });
    expect(run('GS-T1649-CSR-CLIENT', [kubelet('system:node:n1'), kubelet('system:bootstrap:07401b')])).toEqual([]);
    expect(run('GS-T1649-CSR-CLIENT', [kubelet('system:serviceaccount:default:web')])).toHaveLength(1);
  });
  it('treats a Metadata-level approval, whose body is missing, as possibly an approval', () => {
    const [h] = run('GS-T1649-CSR-APPROVE', [ev({ verb: 'update', resource: 'certificatesigningrequests', subresource: 'approval', name: 'c', namespace: null, requestObject: null })]);
    expect(h.detail).toContain('approve or deny');
  });
});

describe('control-plane identities from public addresses', () => {
  const node = (t: number, ip = '198.51.100.23') => ev({ verb: 'get', resource: 'secrets', name: 's', user: 'system:node:n1', sourceIPs: [ip], timeUs: 1e15 + t });
  it('reports each identity and address once an hour, not once per call', () => {
    const minute = 60e6;
    const hits = run('GS-T1078-SYSTEM-PUBLIC', [node(0), node(minute), node(2 * minute), node(0.5 * minute, '198.51.100.24'), node(61 * minute)]);
    expect(hits.map((h) => h.detail.split(' (')[0])).toEqual([
      'system:node:n1 called from public address 198.51.100.23',
      'system:node:n1 called from public address 198.51.100.24',
      'system:node:n1 called from public address 198.51.100.23',
    ]);
  });
});
