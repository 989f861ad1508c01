import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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
    .option('--json', 'print {"url","token"} as JSON on stdout')
    .action(async (opts: { case?: string; port: string; json?: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be 0–65535, got ${opts.port}`);
      if (!existsSync(`${BUILT_UI}index.html`)) process.stderr.write('gumshoe: the UI is not built (npm run build); serving the API only\n');
      // Loaded when used: the service brings every handler's engine modules (~1 s), which --help need not pay.
      const { ApiService } = await import('../../engine/api/service.ts');
      const service = new ApiService({ transport: 'http', caseDir: opts.case ? resolve(opts.case) : undefined });
      const server = await startHttpServer(service, { port, staticDir: BUILT_UI });
      process.stdout.write(opts.json ? `${JSON.stringify({ url: server.openUrl, token: server.token })}\n` : `Gumshoe is at ${server.openUrl}\n`);
      await new Promise<void>((done) => {
        const stop = (): void => {
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
