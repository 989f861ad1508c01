import type { Command } from 'commander';
import { openExistingCase } from '../../engine/store/open.ts';
import { listSessions } from '../../engine/store/sessions.ts';
import { UserError } from '../../engine/util/errors.ts';
import { jsonSafe, termSafe } from '../sanitize.ts';
import { formatUs } from '../time.ts';

export function register(program: Command): void {
  program
    .command('sessions')
    .description('list the session graphs built by `gumshoe train`: id, window, partition, nodes, edges, events, verbs')
    .requiredOption('--case <dir>', 'case directory')
    .option('--preset <name>', 'only this preset (seed, actor, actor-ip)')
    .option('--limit <n>', 'at most this many sessions')
    .option('--json', 'print JSON on stdout')
    .action((opts: { case: string; preset?: string; limit?: string; json?: boolean }) => {
      const limit = opts.limit === undefined ? undefined : Number(opts.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new UserError(`--limit: '${opts.limit}' is not a whole number`);
      // Not read-only: opening applies the sessions migration to a case ingested before it existed.
      const db = openExistingCase(opts.case);
      try {
        const rows = listSessions(db, { preset: opts.preset, limit });
        if (opts.json) {
          const out = rows.map((s) => ({ id: s.id, preset: s.preset, start: formatUs(s.startUs), end: formatUs(s.startUs + s.windowUs), windowS: s.windowUs / 1e6, partition: s.partition, nodes: s.nodes, edges: s.edges, events: s.events, verbs: s.verbs }));
          process.stdout.write(`${jsonSafe(out)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no sessions (run `gumshoe train --case DIR` to build them)\n');
          return;
        }
        process.stdout.write(`${'id'.padStart(7)}  ${'preset'.padEnd(8)} ${'window start'.padEnd(27)} ${'nodes'.padStart(6)} ${'edges'.padStart(6)} ${'events'.padStart(7)}  partition  verbs\n`);
        for (const s of rows) {
          // The partition (a user or an IP for some presets) and the verbs are log text.
          process.stdout.write(`${termSafe(`${String(s.id).padStart(7)}  ${s.preset.padEnd(8)} ${formatUs(s.startUs).padEnd(27)} ${String(s.nodes).padStart(6)} ${String(s.edges).padStart(6)} ${String(s.events).padStart(7)}  ${s.partition}  ${s.verbs.join(',')}`)}\n`);
        }
      } finally {
        db.close();
      }
    });
}
