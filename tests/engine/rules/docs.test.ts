import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBuiltinRules, SIGMA_FIELDS } from '../../../src/engine/rules/index.ts';

describe('docs/rules.md', () => {
  const doc = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
  it('lists every built-in rule with its severity and techniques, and every Sigma field', () => {
    for (const r of loadBuiltinRules()) {
      expect(doc, r.id).toContain(`| \`${r.id}\` | ${r.title.replace(/\|/g, '\\|')} | ${r.severity} | ${r.techniques.join(', ')} |`);
    }
    for (const f of Object.keys(SIGMA_FIELDS)) expect(doc, f).toContain(`| \`${f}\` |`);
  });
});
