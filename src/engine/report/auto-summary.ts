import { techniqueName } from './handoff/attack.ts';
import type { CaseExport } from './schema.ts';

/** Actors, addresses and techniques named in a sentence before "and N more": a summary, not a list. */
const NAMED = 5;

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/**
 * The report's own summary of the case, in sentences: how many incidents and how severe, who
 * acted and from where, over what time, with which techniques, and where triage stands. Computed
 * from the export alone, so the PDF and a reader of the JSON reach the same numbers.
 */
export function automaticSummary(exp: CaseExport): string[] {
  const inc = exp.incidents;
  const out: string[] = [];
  const span = exp.case.from && exp.case.to ? ` between ${exp.case.from} and ${exp.case.to} (${humanSpan(exp.case.from, exp.case.to)})` : '';
  out.push(`The evidence holds ${exp.case.events.toLocaleString('en-US')} audit events${span}, in ${exp.evidence.length} evidence item${exp.evidence.length === 1 ? '' : 's'}.`);
  if (!inc.length) {
    out.push(exp.findings.length ? `The hunt produced ${exp.findings.length} findings and no incidents.` : 'The hunt produced no incidents and no findings.');
    return out;
  }
  const sev = SEVERITIES.map((s) => [s, inc.filter((i) => i.severity === s).length] as const).filter(([, n]) => n > 0);
  out.push(`The hunt found ${inc.length} incident${inc.length === 1 ? '' : 's'} (${sev.map(([s, n]) => `${n} ${s}`).join(', ')}), holding ${exp.findings.length} findings.`);
  const first = inc.reduce((a, i) => (i.start < a ? i.start : a), inc[0].start);
  const last = inc.reduce((a, i) => (i.end > a ? i.end : a), inc[0].end);
  out.push(`Incident activity runs from ${first} to ${last} (${humanSpan(first, last)}).`);
  const serious = inc.filter((i) => i.severity === 'critical' || i.severity === 'high');
  const focus = serious.length ? serious : inc;
  const actors = ranked(focus.flatMap((i) => i.users));
  const ips = ranked(focus.flatMap((i) => i.sourceIPs));
  const what = serious.length ? 'the critical and high incidents' : 'the incidents';
  out.push(`Actors in ${what}: ${named(actors)}; from ${ips.length ? named(ips) : 'no recorded address'}.`);
  const techniques = ranked(inc.flatMap((i) => i.techniques));
  if (techniques.length) out.push(`ATT&CK techniques seen: ${named(techniques.map((t) => `${t} ${techniqueName(t)}`))}.`);
  const triaged = inc.filter((i) => i.triage !== 'new');
  const states = ['malicious', 'investigating', 'benign_true_positive', 'false_positive'].map((s) => [s, inc.filter((i) => i.triage === s).length] as const).filter(([, n]) => n > 0);
  out.push(triaged.length ? `Triage: ${states.map(([s, n]) => `${n} ${s.replace(/_/g, ' ')}`).join(', ')}; ${inc.length - triaged.length} not yet triaged.` : 'No incident has been triaged yet.');
  return out;
}

/** Distinct values, most frequent first, ties in first-seen order. */
function ranked(values: string[]): string[] {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
}

function named(values: string[]): string {
  if (values.length <= NAMED) return values.join(', ');
  return `${values.slice(0, NAMED).join(', ')} and ${values.length - NAMED} more`;
}

/** "3 h 12 min", "2 days 4 h", "45 s": how long, for a reader, not a parser. */
export function humanSpan(from: string, to: string): string {
  const s = Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
  if (s < 120) return `${Math.round(s)} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}
