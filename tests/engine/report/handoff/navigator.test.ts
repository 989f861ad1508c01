import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportCase } from '../../../../src/engine/report/export.ts';
import type { NavigatorLayer } from '../../../../src/engine/report/handoff/navigator.ts';
import { buildIncidentCase, type IncidentCase } from '../incident-case.ts';

/** Enterprise platforms the Navigator's filter accepts (ATT&CK v16 enterprise domain). */
const PLATFORMS = new Set(['Windows', 'macOS', 'Linux', 'PRE', 'Office Suite', 'Identity Provider', 'SaaS', 'IaaS', 'Network Devices', 'Containers', 'ESXi']);
const HEX_COLOUR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

/** Rules of the Navigator layer file format 4.5 (mitre-attack/attack-navigator, layers/LAYERFORMATv4_5.md). */
function layerProblems(l: Record<string, unknown>): string[] {
  const p: string[] = [];
  if (typeof l.name !== 'string' || !l.name) p.push('name is required');
  const v = l.versions as { layer?: string; navigator?: string } | undefined;
  if (!v || !/^4\.\d+$/.test(v.layer ?? '')) p.push('versions.layer must be 4.x');
  if (!['enterprise-attack', 'mobile-attack', 'ics-attack'].includes(l.domain as string)) p.push('domain must name an ATT&CK domain');
  const f = l.filters as { platforms?: string[] } | undefined;
  for (const pl of f?.platforms ?? []) if (!PLATFORMS.has(pl)) p.push(`unknown platform ${pl}`);
  if (!Array.isArray(l.techniques)) p.push('techniques must be a list');
  for (const t of (l.techniques ?? []) as Record<string, unknown>[]) {
    if (!/^T\d{4}(\.\d{3})?$/.test(t.techniqueID as string)) p.push(`techniqueID ${String(t.techniqueID)}`);
    if (t.score !== undefined && typeof t.score !== 'number') p.push(`${String(t.techniqueID)} score must be a number`);
    if (t.color !== undefined && !HEX_COLOUR.test(t.color as string)) p.push(`${String(t.techniqueID)} color`);
    if (t.enabled !== undefined && typeof t.enabled !== 'boolean') p.push(`${String(t.techniqueID)} enabled`);
    for (const m of (t.metadata ?? []) as { name?: unknown; value?: unknown }[]) if (typeof m.name !== 'string' || typeof m.value !== 'string') p.push('metadata needs string name and value');
  }
  const g = l.gradient as { colors?: string[]; minValue?: number; maxValue?: number } | undefined;
  if (g && (!Array.isArray(g.colors) || g.colors.length < 2 || g.colors.some((c) => !HEX_COLOUR.test(c)) || !(g.minValue! < g.maxValue!))) p.push('gradient needs two or more colours and minValue < maxValue');
  for (const li of (l.legendItems ?? []) as { label?: unknown; color?: string }[]) if (typeof li.label !== 'string' || !HEX_COLOUR.test(li.color ?? '')) p.push('legend item needs label and colour');
  return p;
}

describe('ATT&CK Navigator layer', () => {
  let c: IncidentCase;
  let layer: NavigatorLayer;

  beforeAll(async () => {
    c = await buildIncidentCase();
    await exportCase(c.db, c.dir, { navigatorPath: join(c.dir, 'n.json') });
    layer = JSON.parse(readFileSync(join(c.dir, 'n.json'), 'utf8')) as NavigatorLayer;
  });
  afterAll(() => {
    c.db.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  it('follows the layer format: name, versions, domain, platform filter, technique entries', () => {
    expect(layerProblems(layer as unknown as Record<string, unknown>)).toEqual([]);
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.filters.platforms).toEqual(['Containers']);
    expect(layerProblems({ ...layer, versions: { layer: '3.0' }, techniques: [{ techniqueID: '1611', score: 'high' }] })).toEqual(['versions.layer must be 4.x', 'techniqueID 1611', '1611 score must be a number']);
  });

  it('lists each technique seen once, scored by the worst incident that shows it', () => {
    const score = Object.fromEntries(layer.techniques.map((t) => [t.techniqueID, t.score]));
    // T1552.007 is in the critical incident; T1485 only in the high one.
    expect(score).toEqual({ 'T1098': 5, 'T1485': 4, 'T1552.007': 5, 'T1609': 5, 'T1610': 5, 'T1611': 5 });
    expect(layer.techniques.find((t) => t.techniqueID === 'T1485')!.comment).toContain('#2 INC-hostile-0002');
  });
});
