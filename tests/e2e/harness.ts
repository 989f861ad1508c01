// Starts `gumshoe serve` as a child process and a locked-down headless Chromium against it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/**
 * A small audit log written in the repo (37 requests by seven users over half an hour), so the
 * browser tests run on a bare clone: they never read ../shared/data.
 */
export const DEMO_LOG = fileURLToPath(new URL('../fixtures/audit-demo.log', import.meta.url));

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Served {
  url: string;
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The folders the tests' cases, evidence and exports live in: serve lets the page touch files
 * under these only (docs/security.md). The demo bundle sits in the cache of simulate/demo.ts.
 */
const roots = (): string[] => [REPO, tmpdir(), process.env.GUMSHOE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gumshoe')].filter((r) => existsSync(r));

/**
 * `node bin/gumshoe.mjs serve --json` and the URL it prints. The URL's token logs one browser in,
 * once (another browser context is refused); scripts send the token in the x-gumshoe-token header.
 */
export async function serve(args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, ['bin/gumshoe.mjs', 'serve', '--json', '--port', '0', ...roots().flatMap((r) => ['--root', r]), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gumshoe serve exited with ${code}`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, origin: new URL(url).origin, child, stop };
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}
