import type { AuditEvent } from '../../../shared/domain.ts';
import { expandPattern, parseCondition, type Cond } from './condition.ts';
import { sigmaField } from './fields.ts';
import type { SigmaRule } from './load.ts';

/**
 * Builds, from a Sigma rule's own detection, an event the rule was written for, and a near miss
 * that differs in one field. SigmaHQ ships no test events for its kubernetes rules, so this is
 * how each imported rule proves it can fire (tests, and `gumshoe rules test --self`).
 *
 * It picks a way to satisfy the condition (every branch of an `and`, the first of an `or` or
 * `1 of`, nothing for a `not`), then writes each selected field's first value (all values under
 * `|all`) through the field table's setter, shaped by its modifier.
 */
export function blankEvent(): AuditEvent {
  return {
    auditID: 'example-0000', timeUs: 1_700_000_000_000_000, stageTimeUs: null, stage: 'ResponseComplete',
    stages: ['ResponseComplete'], level: 'RequestResponse', verb: 'get', user: 'example-user', groups: ['system:authenticated'],
    uid: null, impersonatedUser: null, impersonatedGroups: [], sourceIPs: ['192.0.2.10'], userAgent: 'kubectl/v1.30.0',
    resource: 'configmaps', subresource: null, namespace: 'default', name: 'example', apiGroup: '', apiVersion: 'v1',
    requestURI: '/api/v1/namespaces/default/configmaps/example', responseCode: 200, decision: null, reason: null,
    annotations: {}, requestObject: null, responseObject: null, format: 'raw', provider: null, cluster: null, missing: [],
    origin: { evidenceId: 0, path: 'example', line: 0, record: 0 },
  };
}

function needed(c: Cond, names: string[]): string[] {
  switch (c.op) {
    case 'ref':
      return [c.name];
    case 'not':
      return [];
    case 'and':
      return c.args.flatMap((a) => needed(a, names));
    case 'or':
      return needed(c.args[0], names);
    case 'of': {
      const sel = expandPattern(c.pattern, names);
      return c.quantifier === 'all' ? sel : sel.slice(0, 1);
    }
  }
}

function shape(mods: string[], v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const plain = v.replace(/\\([*?\\])/g, '\u0000$1').replace(/[*?]/g, 'x').replace(/\u0000(.)/g, '$1');
  if (mods.includes('contains')) return `x${plain}x`;
  if (mods.includes('startswith')) return `${plain}x`;
  if (mods.includes('endswith')) return `x${plain}`;
  return plain;
}

type Clause = { field: string; mods: string[]; values: unknown[] };

function clausesOf(body: unknown): Clause[] {
  const map = Array.isArray(body) ? body[0] : body;
  if (map === null || typeof map !== 'object') throw new Error('keyword selections have no example builder');
  return Object.entries(map as Record<string, unknown>).map(([k, v]) => {
    const [field, ...mods] = k.split('|');
    return { field, mods, values: Array.isArray(v) ? v : [v] };
  });
}

function apply(e: AuditEvent, c: Clause): void {
  const f = sigmaField(c.field);
  if (!f?.set) throw new Error(`field '${c.field}' cannot be written into an example event`);
  if (c.mods.some((m) => m === 're' || m === 'cidr' || m.startsWith('g') || m.startsWith('l'))) {
    throw new Error(`modifier of '${c.field}' has no example builder`);
  }
  if (c.mods.includes('exists')) {
    if (c.values[0] === true) f.set(e, 'x');
    return;
  }
  for (const v of c.mods.includes('all') ? c.values : c.values.slice(0, 1)) f.set(e, shape(c.mods, v));
}

export function exampleEvents(rule: SigmaRule): { match: AuditEvent; miss: AuditEvent } {
  const names = Object.keys(rule.detection);
  const sels = [...new Set(needed(parseCondition(rule.conditions[0]), names))];
  const build = (missField: string | null): AuditEvent => {
    const e = blankEvent();
    for (const s of sels) {
      for (const c of clausesOf(rule.detection[s])) {
        apply(e, c.field === missField ? { ...c, mods: [], values: [typeof c.values[0] === 'number' ? 299 : 'gumshoe-near-miss'] } : c);
      }
    }
    return e;
  };
  const first = sels.length > 0 ? clausesOf(rule.detection[sels[0]])[0]?.field ?? null : null;
  return { match: build(null), miss: build(first) };
}
