/**
 * Checks written from the STIX 2.1 specification (OASIS, 2021) for the object types Gumshoe
 * emits. Each returns the rule broken, so a test names every problem at once.
 */
type Obj = Record<string, unknown> & { type: string; id: string };

/** §2.9 identifier: `type--UUID`, RFC 4122, lowercase; SDOs and SROs use v4 or v5, SCOs v5. */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
/** §3.2: created and modified MUST be precise to the millisecond; every timestamp is UTC with Z. */
const MS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const SDO = new Set(['attack-pattern', 'identity', 'indicator', 'observed-data', 'report', 'grouping', 'note', 'malware', 'campaign', 'infrastructure']);
const SRO = new Set(['relationship', 'sighting']);
const SCO = new Set(['ipv4-addr', 'ipv6-addr', 'user-account']);
/** §4.1 relationships defined between indicator and attack-pattern, and the generic ones. */
const RELATIONSHIP_TYPES = new Set(['indicates', 'uses', 'derived-from', 'duplicate-of', 'related-to', 'based-on', 'attributed-to', 'targets']);

export function stixProblems(bundle: unknown): string[] {
  const p: string[] = [];
  const b = bundle as { type?: unknown; id?: unknown; objects?: unknown; spec_version?: unknown };
  if (b.type !== 'bundle') p.push('bundle.type must be "bundle"');
  if (typeof b.id !== 'string' || !new RegExp(`^bundle--${UUID}$`).test(b.id)) p.push(`bundle.id malformed: ${String(b.id)}`);
  if (b.spec_version !== undefined) p.push('a 2.1 bundle has no spec_version (§8)');
  if (!Array.isArray(b.objects) || b.objects.length === 0) return [...p, 'bundle.objects must be a non-empty list'];
  const objs = b.objects as Obj[];
  const byId = new Map<string, Obj>();
  for (const o of objs) {
    if (byId.has(o.id)) p.push(`duplicate id ${o.id}`);
    byId.set(o.id, o);
  }
  const ref = (o: Obj, key: string, types?: string[]): void => {
    const v = o[key];
    const ids = Array.isArray(v) ? v : v === undefined ? [] : [v];
    if (key.endsWith('_refs') && Array.isArray(v) && v.length === 0) p.push(`${o.id}.${key} must not be empty`);
    for (const id of ids) {
      const t = byId.get(id as string);
      if (!t) p.push(`${o.id}.${key} -> ${String(id)} does not resolve in the bundle`);
      else if (types && !types.includes(t.type)) p.push(`${o.id}.${key} -> ${t.type}, expected ${types.join('|')}`);
    }
  };
  const need = (o: Obj, ...keys: string[]): void => {
    for (const k of keys) if (o[k] === undefined || o[k] === null || o[k] === '') p.push(`${o.type} ${o.id} lacks required ${k}`);
  };
  for (const o of objs) {
    const version = SCO.has(o.type) ? '5' : '[45]';
    if (!new RegExp(`^${o.type}--${UUID.replace('[1-8]', version)}$`).test(o.id)) p.push(`id ${o.id} is not ${o.type}--UUIDv${SCO.has(o.type) ? 5 : '4/5'}`);
    if (SDO.has(o.type) || SRO.has(o.type)) {
      if (o.spec_version !== '2.1') p.push(`${o.id}.spec_version must be "2.1"`);
      for (const k of ['created', 'modified']) if (typeof o[k] !== 'string' || !MS_TIMESTAMP.test(o[k] as string)) p.push(`${o.id}.${k} must be a UTC timestamp with milliseconds: ${String(o[k])}`);
      if (typeof o.created === 'string' && typeof o.modified === 'string' && o.modified < o.created) p.push(`${o.id}.modified before created`);
      if (o.created_by_ref !== undefined) ref(o, 'created_by_ref', ['identity']);
    } else if (!SCO.has(o.type)) p.push(`unexpected type ${o.type}`);
    for (const [k, v] of Object.entries(o)) {
      if (['first_observed', 'last_observed', 'first_seen', 'last_seen', 'valid_from', 'published'].includes(k) && (typeof v !== 'string' || !TIMESTAMP.test(v))) p.push(`${o.id}.${k} is not a UTC timestamp`);
    }
    switch (o.type) {
      case 'identity':
        need(o, 'name');
        break;
      case 'attack-pattern': {
        need(o, 'name');
        const refs = (o.external_references ?? []) as { source_name?: string; external_id?: string; url?: string }[];
        const mitre = refs.find((r) => r.source_name === 'mitre-attack');
        if (!mitre || !/^T\d{4}(\.\d{3})?$/.test(mitre.external_id ?? '')) p.push(`${o.id} lacks a mitre-attack external_id`);
        for (const r of refs) if (!r.source_name) p.push(`${o.id} external reference without source_name`);
        break;
      }
      case 'indicator':
        need(o, 'pattern', 'pattern_type', 'valid_from');
        if (o.pattern_type === 'stix' && !/^\[[a-z0-9-]+:[a-z_.]+ = '(?:[^'\\]|\\.)*'\]( OR \[[a-z0-9-]+:[a-z_.]+ = '(?:[^'\\]|\\.)*'\])*$/.test(o.pattern as string)) p.push(`${o.id}.pattern is not a STIX pattern of comparisons: ${String(o.pattern)}`);
        break;
      case 'observed-data': {
        need(o, 'first_observed', 'last_observed', 'number_observed');
        const n = o.number_observed as number;
        if (!Number.isInteger(n) || n < 1 || n > 999_999_999) p.push(`${o.id}.number_observed out of 1..999999999`);
        if ((o.first_observed as string) > (o.last_observed as string)) p.push(`${o.id} last_observed before first_observed`);
        if (o.objects === undefined && o.object_refs === undefined) p.push(`${o.id} needs objects or object_refs`);
        ref(o, 'object_refs', [...SCO]);
        break;
      }
      case 'sighting': {
        need(o, 'sighting_of_ref');
        ref(o, 'sighting_of_ref', [...SDO]);
        ref(o, 'observed_data_refs', ['observed-data']);
        ref(o, 'where_sighted_refs', ['identity', 'location']);
        const n = o.count as number | undefined;
        if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > 999_999_999)) p.push(`${o.id}.count out of 0..999999999`);
        if (o.first_seen && o.last_seen && (o.first_seen as string) > (o.last_seen as string)) p.push(`${o.id} last_seen before first_seen`);
        break;
      }
      case 'relationship':
        need(o, 'relationship_type', 'source_ref', 'target_ref');
        if (!RELATIONSHIP_TYPES.has(o.relationship_type as string)) p.push(`${o.id} relationship_type ${String(o.relationship_type)}`);
        ref(o, 'source_ref');
        ref(o, 'target_ref');
        break;
      case 'report':
        need(o, 'name', 'published', 'object_refs');
        ref(o, 'object_refs');
        break;
      case 'ipv4-addr':
      case 'ipv6-addr':
        need(o, 'value');
        break;
      case 'user-account':
        if (o.user_id === undefined && o.account_login === undefined) p.push(`${o.id} user-account without user_id or account_login`);
        break;
    }
  }
  return p;
}
