// The installers cannot be built here (no Electron binary), so this is where a packaging
// regression is caught: every file the packaged host reads at runtime must be named by
// electron-builder's `files` globs, with the same first-match-wins negation it applies.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Pkg {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  build: {
    files: string[];
    asar?: boolean;
    asarUnpack?: string[];
    npmRebuild?: boolean;
    linux: { target: string[] };
    mac: { target: string[] };
    win: { target: string[] };
  };
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Pkg;

/** electron-builder's rule: a path is packed when the last pattern that matches it is not a negation. */
function packed(path: string): boolean {
  let inside = false;
  for (const pattern of pkg.build.files) {
    const negated = pattern.startsWith('!');
    if (minimatch(path, negated ? pattern.slice(1) : pattern, { dot: true })) inside = !negated;
  }
  return inside;
}

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Files the engine opens by `new URL('…', import.meta.url)`: worker entries, the bootstrap, data files. */
function urlTargets(): string[] {
  const out: string[] = [];
  for (const file of walk('src/engine').filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/new URL\('(\.{1,2}\/[^']+)', import\.meta\.url\)/g)) out.push(relative(ROOT, join(ROOT, file, '..', m[1])));
  }
  return out;
}

describe('electron-builder config', () => {
  it('packs the built host, preload and renderer, and the entry package.json names', () => {
    for (const f of ['package.json', pkg.main, 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/assets/index-abc123.js']) expect(packed(f), f).toBe(true);
  });

  it('packs the engine sources the host loads under tsx, with every file they open by URL', () => {
    const targets = urlTargets();
    // The worker bootstrap, the job and training workers, the demo recipe and package.json (report version).
    expect(targets).toEqual(expect.arrayContaining(['src/engine/util/worker-bootstrap.mjs', 'src/engine/api/job-worker.ts', 'src/engine/jobs/train-worker.ts', 'resources/demo/demo.json', 'package.json']));
    for (const f of [...targets, 'src/engine/api/service.ts', ...walk('src/engine'), ...walk('src/shared'), ...walk('resources')]) expect(packed(f), f).toBe(true);
  });

  it('ships what the engine needs at runtime from node_modules as production dependencies', () => {
    // electron-builder copies production dependencies only: tsx runs the engine, better-sqlite3 is
    // the store (rebuilt for Electron), the wasm backend's binaries sit in its own package.
    for (const dep of ['tsx', 'better-sqlite3', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'pdfkit', 'zod']) expect(pkg.dependencies[dep], dep).toBeDefined();
    const wasm = readdirSync(join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')).filter((f) => f.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
    for (const f of [...wasm.map((w) => `node_modules/@tensorflow/tfjs-backend-wasm/dist/${w}`), 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/tsx/dist/esm/api/index.mjs']) {
      expect(pkg.build.files.some((p) => p.startsWith('!') && minimatch(f, p.slice(1), { dot: true })), f).toBe(false);
    }
  });

  it('keeps what runs from disk on disk: tsx sources, worker threads, native addons, wasm', () => {
    // Out of an asar archive these would need unpacking one by one, and the engine's imports from
    // an unpacked copy would no longer find the packed node_modules.
    const unpacked = pkg.build.asar === false || ['**/*.node', '**/*.wasm', 'src/**', 'resources/**'].every((p) => pkg.build.asarUnpack?.includes(p));
    expect(unpacked).toBe(true);
    expect(pkg.build.npmRebuild).not.toBe(false);
  });

  it('targets AppImage and deb, dmg, and nsis, and leaves tests and source maps out', () => {
    expect(pkg.build.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(pkg.build.mac.target).toContain('dmg');
    expect(pkg.build.win.target).toContain('nsis');
    expect(packed('out/main/index.js.map')).toBe(false);
    expect(packed('tests/engine/api/http.test.ts')).toBe(false);
    expect(packed('node_modules/@tensorflow/tfjs-node-gpu/package.json')).toBe(false);
  });
});
