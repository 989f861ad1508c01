import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GKE_FIELDS } from '../../../src/engine/ingest/gke.ts';
import { RAW_EVENT_FIELDS } from '../../../src/engine/ingest/raw-event.ts';
import { DEFAULT_LIMITS } from '../../../src/engine/ingest/index.ts';

const doc = readFileSync(new URL('../../../docs/formats.md', import.meta.url), 'utf8');
const cell = (s: string): string => s.replace(/\|/g, '\\|');

// docs/formats.md is what analysts read to know where a field came from: it must match the tables.
describe('docs/formats.md', () => {
  it('shows each field table row as the code defines it', () => {
    for (const k of Object.keys(RAW_EVENT_FIELDS) as (keyof typeof RAW_EVENT_FIELDS)[]) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${k}\` |`));
      expect(row, k).toBeDefined();
      expect(row).toContain(cell(RAW_EVENT_FIELDS[k].from));
      expect(row).toContain(cell(GKE_FIELDS[k].from));
    }
  });

  it('documents every limit', () => {
    for (const k of Object.keys(DEFAULT_LIMITS)) expect(doc).toContain(`\`${k}\``);
  });
});
