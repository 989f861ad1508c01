import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startHttpServer } from '../../engine/api/http.ts';
import { UserError } from '../../engine/util/errors.ts';

const BUILT_UI = fileURLToPath(new URL('../../../out/renderer/', import.meta.url));

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the workstation UI on 127.0.0.1 (web mode); prints the URL with its access token')
    .option('--case <dir>', 'case directory to open (created when absent)')
    .option('--port <n>', 'port (0 picks a free one)', '0')
    .option('--root <dir>', 'a folder whose files the UI may read as evidence and write exports and cases in (repeatable; default: the current directory and the --case directory\'s parent)', collect, [])
    .option('--json', 'print {"url","token"} as JSON on stdout')
    .action(async (opts: { case?: string; port: string; json?: boolean; root: string[] }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be 0–65535, got ${opts.port}`);
      if (!existsSync(`${BUILT_UI}index.html`)) process.stderr.write('gumshoe: the UI is not built (npm run build); serving the API only\n');
      // Loaded when used: the service brings every handler's engine modules (~1 s), which --help need not pay.
      const { ApiService } = await import('../../engine/api/service.ts');
      const caseDir = opts.case ? resolve(opts.case) : undefined;
      const roots = serveRoots(opts.root, caseDir);
      const service = new ApiService({ transport: 'http', caseDir, roots });
      const server = await startHttpServer(service, { port, staticDir: BUILT_UI });
      process.stdout.write(opts.json ? `${JSON.stringify({ url: server.openUrl, token: server.token })}\n` : `Gumshoe is at ${server.openUrl}\n`);
      if (!opts.json) process.stderr.write(`gumshoe: the UI may use files under ${roots.join(', ')}\n`);
      // The link logs one browser in, once; a terminal can ask for another (a second browser, an expired session).
      const stdin = process.stdin.isTTY ? createInterface({ input: process.stdin }) : null;
      if (stdin) process.stderr.write('gumshoe: press Enter for a new login link\n');
      stdin?.on('line', () => process.stdout.write(`${server.loginUrl()}\n`));
      await new Promise<void>((done) => {
        const stop = (): void => {
          stdin?.close();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server
            .close()
            .then(() => service.close())
            .then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * The folders the UI may touch: those named with --root, else the current directory and the
 * parent of the --case directory (where its sibling cases and exports sit), plus the case itself.
 */
export function serveRoots(named: readonly string[], caseDir: string | undefined): string[] {
  const roots = named.length ? named.map((r) => resolve(r)) : [process.cwd(), ...(caseDir ? [dirname(caseDir)] : [])];
  if (caseDir) roots.push(caseDir);
  for (const r of roots) if (!existsSync(r) && r !== caseDir) throw new UserError(`--root ${r} does not exist`);
  return [...new Set(roots)];
}
