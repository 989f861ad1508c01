import type { CaseExport } from '../schema.ts';
import { techniqueName } from './attack.ts';

/** Severity as a Navigator score: the gradient runs 0 (not seen) to 5 (critical). */
export const SEVERITY_SCORE: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };

/** ATT&CK Navigator layer file format 4.5, the version current Navigator releases read and write. */
export const LAYER_VERSION = '4.5';

export interface NavigatorLayer {
  name: string;
  versions: { layer: string; navigator: string; attack?: string };
  domain: 'enterprise-attack';
  description: string;
  filters: { platforms: string[] };
  sorting: number;
  layout: { layout: 'side' | 'flat' | 'mini'; showID: boolean; showName: boolean };
  hideDisabled: boolean;
  techniques: {
    techniqueID: string;
    score: number;
    color?: string;
    comment: string;
    enabled: boolean;
    metadata: { name: string; value: string }[];
    showSubtechniques: boolean;
  }[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
  showTacticRowBackground: boolean;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
}

/**
 * The techniques the case's incidents show, as a Navigator layer over the enterprise matrix
 * filtered to the Containers platform. Each technique scores the severity of the worst incident
 * that shows it; the comment names the incidents. A sub-technique's parent is expanded so it shows.
 */
export function navigatorLayer(exp: CaseExport): NavigatorLayer {
  const by = new Map<string, { score: number; incidents: string[] }>();
  for (const inc of exp.incidents) {
    for (const t of inc.techniques) {
      const cur = by.get(t) ?? { score: 0, incidents: [] };
      cur.score = Math.max(cur.score, SEVERITY_SCORE[inc.severity] ?? 0);
      cur.incidents.push(`#${inc.rank} ${inc.id}`);
      by.set(t, cur);
    }
  }
  const parents = new Set([...by.keys()].filter((t) => t.includes('.')).map((t) => t.split('.')[0]));
  return {
    name: `Gumshoe ${exp.case.caseNumber ?? exp.case.name}`.slice(0, 100),
    versions: { layer: LAYER_VERSION, navigator: '5.1.0' },
    domain: 'enterprise-attack',
    description: `Techniques in ${exp.incidents.length} incidents of case ${exp.case.name}, scored by the worst incident's severity (1 info … 5 critical). Exported ${exp.exportedAt}.`,
    filters: { platforms: ['Containers'] },
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true },
    hideDisabled: false,
    techniques: [...by.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, v]) => ({
        techniqueID: id,
        score: v.score,
        comment: `${techniqueName(id)}: ${v.incidents.length} incident${v.incidents.length === 1 ? '' : 's'} (${v.incidents.slice(0, 10).join(', ')}${v.incidents.length > 10 ? ', ...' : ''})`,
        enabled: true,
        metadata: [{ name: 'incidents', value: String(v.incidents.length) }],
        showSubtechniques: parents.has(id),
      })),
    gradient: { colors: ['#ffffffff', '#ffe766ff', '#ff6666ff'], minValue: 0, maxValue: 5 },
    legendItems: Object.entries(SEVERITY_SCORE).map(([label, s]) => ({ label: `${s} = ${label}`, color: ['#fffbe0', '#fff3b0', '#ffd27f', '#ff9c73', '#ff6666'][s - 1] })),
    metadata: [
      { name: 'case', value: exp.case.name },
      { name: 'tool', value: `gumshoe ${exp.tool.version}` },
    ],
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
  };
}
