import type { CaseExport, ExportIncident } from '../schema.ts';
import { techniqueName, techniqueUrl } from './attack.ts';
import { bundleId, scoId, sdoId, stixTime } from './stix-ids.ts';

/** A STIX 2.1 object as written: every key is spec vocabulary, values JSON. */
export type StixObject = Record<string, unknown> & { type: string; id: string };

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** indicator_types (open vocabulary, STIX 2.1 §10.9) from the analyst's triage of the incident. */
const INDICATOR_TYPE: Record<ExportIncident['triage'], string> = {
  new: 'anomalous-activity',
  investigating: 'anomalous-activity',
  malicious: 'malicious-activity',
  benign_true_positive: 'benign',
  false_positive: 'benign',
};

/**
 * The case's incidents as a STIX 2.1 bundle: who produced it (identity), what was seen
 * (observed-data over the actors' user-accounts and source addresses), a detection for it
 * (indicator with a STIX pattern over the same), where and when it was seen (sighting), the ATT&CK
 * techniques (attack-pattern with mitre-attack references), `indicates` relationships from each
 * indicator to its techniques,
 * and one report that holds them all. Ids are UUIDv5, so exporting twice gives the same objects.
 */
export function stixBundle(exp: CaseExport): StixBundle {
  const now = stixTime(exp.exportedAt);
  const identityName = exp.case.examiner ?? `gumshoe ${exp.tool.version}`;
  const identity: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: sdoId('identity', identityName),
    created: now,
    modified: now,
    name: identityName,
    identity_class: exp.case.examiner ? 'individual' : 'system',
    description: exp.case.examiner ? `Examiner of case ${exp.case.name}, using gumshoe ${exp.tool.version}` : 'Gumshoe, Kubernetes audit log forensics',
  };
  const common = { spec_version: '2.1', created: now, modified: now, created_by_ref: identity.id };
  const objects: StixObject[] = [identity];
  const seen = new Set<string>([identity.id]);
  const add = (o: StixObject): string => {
    if (!seen.has(o.id)) {
      seen.add(o.id);
      objects.push(o);
    }
    return o.id;
  };

  const patterns = new Map<string, string>();
  for (const t of [...new Set(exp.incidents.flatMap((i) => i.techniques))].sort()) {
    patterns.set(
      t,
      add({
        type: 'attack-pattern',
        ...common,
        id: sdoId('attack-pattern', t),
        name: techniqueName(t),
        external_references: [{ source_name: 'mitre-attack', external_id: t, url: techniqueUrl(t) }],
      }),
    );
  }

  for (const inc of exp.incidents) {
    const scos = [
      ...inc.users.map((u) => ({ type: 'user-account', id: scoId('user-account', { account_login: u, user_id: u }), spec_version: '2.1', user_id: u, account_login: u })),
      ...inc.sourceIPs.map((ip) => {
        const type = ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
        return { type, id: scoId(type, { value: ip }), spec_version: '2.1', value: ip };
      }),
    ];
    for (const s of scos) add(s);
    const first = stixTime(inc.start);
    // last_observed ≥ first_observed is required; a one-event incident has them equal.
    const last = stixTime(Math.max(Date.parse(inc.start), Date.parse(inc.end)));
    // observed-data must reference at least one observable; an incident always has an actor, but
    // a record without one gets a sighting without observed data rather than an invalid object.
    const observed = scos.length === 0 ? null : add({
      type: 'observed-data',
      ...common,
      id: sdoId('observed-data', inc.id),
      first_observed: first,
      last_observed: last,
      // number_observed counts the events behind it, within the spec's 1 … 999,999,999.
      number_observed: Math.min(999_999_999, Math.max(1, inc.auditIDs.length)),
      object_refs: scos.map((s) => s.id),
      external_references: [{ source_name: 'gumshoe', external_id: inc.id, description: inc.title }],
    });
    const indicator = add({
      type: 'indicator',
      ...common,
      id: sdoId('indicator', inc.id),
      name: `${inc.id}: ${inc.title}`,
      description: `Incident ranked ${inc.rank} (${inc.severity}, risk ${inc.score.toFixed(3)}); triage ${inc.triage}.`,
      indicator_types: [INDICATOR_TYPE[inc.triage]],
      pattern: stixPattern(inc),
      pattern_type: 'stix',
      valid_from: first,
      kill_chain_phases: inc.tactics.map((t) => ({ kill_chain_name: 'mitre-attack', phase_name: t.toLowerCase().replace(/\s+/g, '-') })),
      labels: [inc.severity],
    });
    add({
      type: 'sighting',
      ...common,
      id: sdoId('sighting', inc.id),
      sighting_of_ref: indicator,
      ...(observed ? { observed_data_refs: [observed] } : {}),
      where_sighted_refs: [identity.id],
      first_seen: first,
      last_seen: last,
      count: Math.min(999_999_999, Math.max(1, inc.auditIDs.length)),
      summary: false,
    });
    for (const t of inc.techniques) {
      add({ type: 'relationship', ...common, id: sdoId('relationship', `${inc.id}|indicates|${t}`), relationship_type: 'indicates', source_ref: indicator, target_ref: patterns.get(t)! });
    }
  }

  add({
    type: 'report',
    ...common,
    id: sdoId('report', `${exp.case.name}|${exp.case.caseNumber ?? ''}`),
    name: `Gumshoe case ${exp.case.caseNumber ?? exp.case.name}`,
    description: exp.case.summary ?? `${exp.incidents.length} incidents from Kubernetes API-server audit logs.`,
    report_types: ['threat-report'],
    published: now,
    // A report must reference something; an empty case references its producer.
    object_refs: objects.length > 1 ? objects.filter((o) => o.id !== identity.id).map((o) => o.id) : [identity.id],
  });
  return { type: 'bundle', id: bundleId(), objects };
}

/** A STIX pattern string literal: quotes and backslashes escaped (STIX 2.1 patterning §9.2). */
export const patternString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Any of the incident's accounts or addresses: one comparison per observable, OR-ed. */
export function stixPattern(inc: Pick<ExportIncident, 'users' | 'sourceIPs'>): string {
  const parts = [
    ...inc.users.map((u) => `[user-account:user_id = ${patternString(u)}]`),
    ...inc.sourceIPs.map((ip) => `[${ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value = ${patternString(ip)}]`),
  ];
  return parts.length ? parts.join(' OR ') : "[user-account:user_id = '']";
}
