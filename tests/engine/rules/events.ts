import type { AuditEvent } from '../../../src/shared/domain.ts';
import { blankEvent } from '../../../src/engine/rules/index.ts';

let seq = 0;

/** A hand-built audit event: a plain GET by a person, with the given fields replaced. */
export function ev(over: Partial<AuditEvent>): AuditEvent {
  seq++;
  return { ...blankEvent(), auditID: `ev-${seq}`, ...over };
}

export const pod = (spec: Record<string, unknown>, over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'create', resource: 'pods', name: 'p', requestObject: { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } }, ...over });

export const deployment = (podSpec: Record<string, unknown>, over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'create', resource: 'deployments', apiGroup: 'apps', name: 'd', requestObject: { kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'app' }], ...podSpec } } } }, ...over });

export const cronjob = (podSpec: Record<string, unknown>, over: Partial<AuditEvent> = {}): AuditEvent =>
  ev({ verb: 'create', resource: 'cronjobs', apiGroup: 'batch', name: 'cj', requestObject: { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'app' }], ...podSpec } } } } } }, ...over });
