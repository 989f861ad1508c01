import type { FindingRecord } from '../../shared/domain.ts';

/** What the evaluation ranks: findings, or incidents (which carry the same fields). */
export type Ranked = Pick<FindingRecord, 'id' | 'start' | 'end' | 'score' | 'users' | 'sourceIPs' | 'auditIDs' | 'title' | 'reasons'>;
import type { GroundTruth, TruthScenario } from './truth.ts';

export interface ScenarioResult {
  id: string;
  label: 'malicious' | 'benign';
  techniques: string[];
  found: boolean;
  /** 1-based rank of the best-ranked matching finding, null when none matches. */
  rank: number | null;
  findingIds: string[];
  /** Reasons (and titles) of the matching findings: how the pipeline explained what it flagged. */
  explanations: string[];
}

export interface EvalReport {
  findings: number;
  malicious: number;
  benign: number;
  scenarios: ScenarioResult[];
  /** Share of malicious scenarios matched by a finding ranked ≤ K. */
  recallAt: Record<'10' | '20' | '50', number | null>;
  /** Share of the top min(K, n) findings that match a malicious scenario; null with no findings. */
  precisionAt: Record<'10' | '20' | '50', number | null>;
  benignFlagged: number;
}

const KS = [10, 20, 50] as const;

/** RFC 3339 to integer µs, keeping sub-millisecond digits that Date.parse would drop. */
export function parseTimeUs(s: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$/.exec(s);
  const ms = Date.parse(m ? m[1] + m[3] : s);
  if (!Number.isFinite(ms)) throw new Error(`not an RFC 3339 time: ${s}`);
  const frac = m?.[2] ? Number((m[2] + '000000').slice(0, 6)) : 0;
  return ms * 1000 + frac;
}

/** The matching rule of docs/findings.md: overlapping windows, and a shared auditID, user or source IP. */
export function matches(f: Ranked, s: TruthScenario): boolean {
  if (parseTimeUs(f.start) > parseTimeUs(s.end) || parseTimeUs(f.end) < parseTimeUs(s.start)) return false;
  const ids = new Set(s.auditIDs);
  if (f.auditIDs.some((id) => ids.has(id))) return true;
  if (f.users.some((u) => s.actors.includes(u))) return true;
  return f.sourceIPs.some((ip) => s.sourceIPs.includes(ip));
}

/**
 * Scores a finding list against ground truth. Findings are ranked by score, highest first; equal
 * scores keep their input order, so a caller that already ranked them keeps its order.
 */
export function evaluate(findings: Ranked[], truth: GroundTruth): EvalReport {
  const ranked = findings.map((f, i) => ({ f, i })).sort((a, b) => b.f.score - a.f.score || a.i - b.i).map((x) => x.f);
  const hits = ranked.map((f) => truth.scenarios.filter((s) => matches(f, s)));
  const scenarios: ScenarioResult[] = truth.scenarios.map((s) => {
    const idx = ranked.map((_, i) => i).filter((i) => hits[i].includes(s));
    const explanations = idx.flatMap((i) => [...(ranked[i].title ? [ranked[i].title!] : []), ...(ranked[i].reasons ?? []).map((r) => r.text)]);
    return { id: s.id, label: s.label, techniques: s.techniques, found: idx.length > 0, rank: idx.length ? idx[0] + 1 : null, findingIds: idx.map((i) => ranked[i].id), explanations };
  });
  const mal = scenarios.filter((s) => s.label === 'malicious');
  const recallAt = {} as EvalReport['recallAt'];
  const precisionAt = {} as EvalReport['precisionAt'];
  for (const k of KS) {
    recallAt[k] = mal.length ? mal.filter((s) => s.rank !== null && s.rank <= k).length / mal.length : null;
    const top = hits.slice(0, k);
    precisionAt[k] = top.length ? top.filter((h) => h.some((s) => s.label === 'malicious')).length / top.length : null;
  }
  return {
    findings: ranked.length,
    malicious: mal.length,
    benign: scenarios.length - mal.length,
    scenarios,
    recallAt,
    precisionAt,
    benignFlagged: scenarios.filter((s) => s.label === 'benign' && s.found).length,
  };
}
