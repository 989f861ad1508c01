import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ENGINE = new URL('../../../src/engine/', import.meta.url).pathname;

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Relative specifiers a file imports, statically or with import(), resolved to engine paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => relative(ENGINE, resolve(dirname(file), s)));
}

// The lint rule (eslint.config.js) says the same; this holds even where lint is not run.
describe('stages never import orchestration (docs/pipeline.md)', () => {
  it.each(['hunt', 'report'])('src/engine/%s imports neither src/engine/jobs nor src/engine/case', (stage) => {
    const files = sources(join(ENGINE, stage));
    expect(files.length).toBeGreaterThan(3);
    const bad = files.flatMap((f) => importsOf(f).filter((p) => /^(jobs|case)\//.test(p)).map((p) => `${relative(ENGINE, f)} → ${p}`));
    expect(bad).toEqual([]);
  });
});
