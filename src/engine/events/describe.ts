import type { AuditEvent, Outcome } from '../../shared/domain.ts';
import { containers, getPath, isRecord, objectName, podSpecs } from '../rules/fields.ts';
import { outcomeOf, statusReason } from './outcome.ts';

/** What one audit event did, in words an analyst reads without opening the raw record. */
export interface EventDescription {
  /** What was touched: `secrets kube-system/admin-token`, `pods/exec production/web-1`, `/healthz`. */
  target: string;
  /** One line that says what happened, with the outcome when it was not a success. */
  summary: string;
  outcome: Outcome;
}

/**
 * Cap on images and subjects spelled out in one summary: a summary is one line in a table and a
 * storyline; a DaemonSet with 12 sidecars still says how many more there are.
 */
const MAX_LISTED = 4;

export function describeEvent(e: AuditEvent): EventDescription {
  const target = targetOf(e);
  const outcome = outcomeOf(e);
  const what = action(e, target);
  return { target, summary: what + outcomeSuffix(e, outcome), outcome };
}

/** `resource[/subresource] [namespace/]name`, or the path of a non-resource request. */
export function targetOf(e: AuditEvent): string {
  if (!e.resource) return pathOf(e.requestURI) || '(no resource)';
  const kind = e.subresource ? `${e.resource}/${e.subresource}` : e.resource;
  const name = e.name ?? (e.verb === 'create' && !e.subresource ? objectName(e) : null);
  if (name) return `${kind} ${e.namespace ? `${e.namespace}/` : ''}${name}`;
  if (e.namespace) return `${kind} ${e.namespace}`;
  return kind;
}

function pathOf(uri: string): string {
  const q = uri.indexOf('?');
  return q < 0 ? uri : uri.slice(0, q);
}

function queryOf(uri: string): URLSearchParams {
  const q = uri.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : uri.slice(q + 1));
}

const WRITES = new Set(['create', 'update', 'patch']);

function action(e: AuditEvent, target: string): string {
  const sub = e.subresource;
  if (e.resource === 'pods' && (sub === 'exec' || sub === 'attach')) return execLine(e, sub);
  if (e.resource === 'pods' && sub === 'portforward') return portForwardLine(e);
  if (e.resource === 'serviceaccounts' && sub === 'token') return tokenLine(e);
  if (WRITES.has(e.verb) && !sub) {
    const specs = podSpecs(e);
    if (specs.length) return `${e.verb} ${target}: ${workloadLine(specs)}`;
    if (e.resource === 'rolebindings' || e.resource === 'clusterrolebindings') {
      const b = bindingLine(e.requestObject);
      if (b) return `${e.verb} ${target}: ${b}`;
    }
    if (e.resource === 'certificatesigningrequests') {
      const signer = getPath(e.requestObject, 'spec.signerName')[0];
      if (typeof signer === 'string') return `${e.verb} ${target}: CSR for signer ${signer}`;
    }
  }
  if (e.resource === 'certificatesigningrequests' && sub === 'approval') return `approve ${target}`;
  return `${e.verb} ${target}`;
}

function execLine(e: AuditEvent, sub: 'exec' | 'attach'): string {
  const q = queryOf(e.requestURI);
  const command = q.getAll('command').join(' ');
  const container = q.get('container');
  const where = `${e.namespace ? `${e.namespace}/` : ''}${e.name ?? '?'}`;
  const inContainer = container ? ` container ${container}` : '';
  if (sub === 'attach') return `attach to ${where}${inContainer}`;
  return command ? `exec \`${command}\` in ${where}${inContainer}` : `exec in ${where}${inContainer} (command not recorded)`;
}

function portForwardLine(e: AuditEvent): string {
  const ports = queryOf(e.requestURI).getAll('ports');
  const where = `${e.namespace ? `${e.namespace}/` : ''}${e.name ?? '?'}`;
  return ports.length ? `port-forward to ${where} port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}` : `port-forward to ${where}`;
}

function tokenLine(e: AuditEvent): string {
  const sa = `${e.namespace ? `${e.namespace}/` : ''}${e.name ?? '?'}`;
  const audiences = getPath(e.requestObject, 'spec.audiences').filter((a): a is string => typeof a === 'string');
  const seconds = getPath(e.requestObject, 'spec.expirationSeconds')[0];
  const parts = [`token for service account ${sa}`];
  if (audiences.length) parts.push(`audience ${audiences.join(', ')}`);
  if (typeof seconds === 'number') parts.push(`valid ${seconds} s`);
  return parts.join(', ');
}

function workloadLine(specs: Record<string, unknown>[]): string {
  const images = new Set<string>();
  const flags = new Set<string>();
  const hostPaths = new Set<string>();
  for (const spec of specs) {
    for (const c of containers(spec)) {
      if (typeof c.image === 'string') images.add(c.image);
      const sc = isRecord(c.securityContext) ? c.securityContext : {};
      if (sc.privileged === true) flags.add('privileged');
      const caps = getPath(sc, 'capabilities.add').filter((x): x is string => typeof x === 'string');
      if (caps.length) flags.add(`caps ${caps.join('+')}`);
    }
    for (const f of ['hostPID', 'hostNetwork', 'hostIPC'] as const) if (spec[f] === true) flags.add(f);
    for (const p of getPath(spec, 'volumes[*].hostPath.path')) if (typeof p === 'string') hostPaths.add(p);
  }
  const list = [...images];
  let line = list.length ? `image${list.length > 1 ? 's' : ''} ${listed(list)}` : 'no image in request';
  const all = [...flags, ...[...hostPaths].map((p) => `hostPath ${p}`)];
  if (all.length) line += ` (${all.join(', ')})`;
  return line;
}

function bindingLine(body: unknown): string | null {
  const role = getPath(body, 'roleRef')[0];
  const subjects = getPath(body, 'subjects[*]').filter(isRecord);
  if (!isRecord(role) && subjects.length === 0) return null;
  const roleText = isRecord(role) ? `${String(role.kind ?? 'Role')} ${String(role.name ?? '?')}` : 'a role';
  const who = subjects.map((s) => `${String(s.kind ?? '?')} ${typeof s.namespace === 'string' && s.namespace ? `${s.namespace}/` : ''}${String(s.name ?? '?')}`);
  return `grant ${roleText} to ${who.length ? listed(who) : 'no subject'}`;
}

function listed(items: string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} +${items.length - MAX_LISTED} more`;
}

function outcomeSuffix(e: AuditEvent, outcome: Outcome): string {
  if (outcome !== 'denied' && outcome !== 'failed') return '';
  const reason = statusReason(e);
  const code = e.responseCode;
  const detail = [code === null ? null : String(code), reason].filter(Boolean).join(' ');
  return ` — ${outcome}${detail ? ` (${detail})` : ''}`;
}
