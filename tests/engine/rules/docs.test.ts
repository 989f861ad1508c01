import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attemptSeverityFor, loadBuiltinRules, SIGMA_FIELDS, type Rule } from '../../../src/engine/rules/index.ts';

/** The table's attempt column: what a denied or failed request of the rule becomes. */
const attempt = (r: Rule): string => (r.attempts === 'skip' ? 'not fired' : r.attempts === 'as-is' ? 'as is' : (r.attemptSeverity ?? attemptSeverityFor(r.severity)));

describe('docs/rules.md', () => {
  const doc = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
  it('lists every built-in rule with its severity, techniques and attempt rating, and every Sigma field', () => {
    for (const r of loadBuiltinRules()) {
      expect(doc, r.id).toContain(`| \`${r.id}\` | ${r.title.replace(/\|/g, '\\|')} | ${r.severity} | ${r.techniques.join(', ')} | ${attempt(r)} |`);
    }
    for (const f of Object.keys(SIGMA_FIELDS)) expect(doc, f).toContain(`| \`${f}\` |`);
  });
});
