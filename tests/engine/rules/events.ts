import type { AuditEvent } from '../../../src/shared/domain.ts';
import { blankEvent } from '../../../src/engine/rules/index.ts';

let seq = 0;

/**
 * A hand-built audit event: a plain, successful GET by a person from an in-cluster address (the
 * rules that care about public addresses say so in their own examples), with fields replaced.
 */
export function ev(over: Partial<AuditEvent>): AuditEvent {
  seq++;
  return { ...blankEvent(), auditID: `ev-${seq}`, sourceIPs: ['10.0.4.17'], ...over };
}

/** The same request refused by the authorizer, as kube-apiserver logs it at RequestResponse level. */
export const deny = (e: AuditEvent): AuditEvent => ({
  ...e, auditID: `${e.auditID}-denied`, responseCode: 403, decision: 'forbid',
  responseObject: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 },
});

/** The same request failed after authorization (409 AlreadyExists for a create, else 422 Invalid). */
export const fail = (e: AuditEvent): AuditEvent => {
  const [code, reason] = e.verb === 'create' ? [409, 'AlreadyExists'] : [422, 'Invalid'];
  return { ...e, auditID: `${e.auditID}-failed`, responseCode: code, decision: 'allow', responseObject: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, code } };
};

/** `n` events a second apart from `make(i)`, for the burst rules. */
export const burst = (n: number, make: (i: number) => Partial<AuditEvent>): AuditEvent[] =>
  Array.from({ length: n }, (_, i) => ev({ timeUs: 1e15 + i * 1e6, ...make(i) }));

export const pod = (spec: Record<string, unknown>, over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'create', resource: 'pods', name: 'p', requestObject: { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } }, ...over });

export const deployment = (podSpec: Record<string, unknown>, over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'create', resource: 'deployments', apiGroup: 'apps', name: 'd', requestObject: { kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'app' }], ...podSpec } } } }, ...over });

export const cronjob = (podSpec: Record<string, unknown>, over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'create', resource: 'cronjobs', apiGroup: 'batch', name: 'cj', requestObject: { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'app' }], ...podSpec } } } } } }, ...over });
