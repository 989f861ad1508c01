import type { Command } from 'commander';
import type { SourceFormat } from '../../shared/domain.ts';
import { simulate } from '../../engine/simulate/index.ts';
import { SCENARIO_IDS } from '../../engine/simulate/scenarios.ts';
import { parseStart } from '../../engine/simulate/time.ts';
import { UserError } from '../../engine/util/errors.ts';
import { progressBar } from '../progress.ts';

const FORMATS: SourceFormat[] = ['raw', 'eks', 'gke', 'aks'];

interface Opts {
  out: string;
  days: string;
  seed: string;
  scale: string;
  scenarios?: string;
  formats: string;
  start?: string;
  rotateMb: string;
  bundle: boolean;
  json?: boolean;
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`--${name} must be a positive number, got ${JSON.stringify(v)}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('write a simulated cluster audit log with hidden attack scenarios, a bundle.tar.gz and ground_truth.json')
    .requiredOption('--out <dir>', 'output directory (replaced)')
    .requiredOption('--days <n>', 'simulated days')
    .requiredOption('--seed <s>', 'seed: the same seed writes the same bytes')
    .option('--scale <x>', 'traffic multiplier (1 ≈ 250K events/day)', '1')
    .option('--scenarios <ids>', `comma-separated subset of: ${SCENARIO_IDS.join(', ')}`)
    .option('--formats <list>', 'comma-separated: raw, eks, gke, aks', 'raw')
    .option('--start <rfc3339>', 'first instant (default 2024-03-04T00:00:00Z)')
    .option('--rotate-mb <n>', 'rotate audit.log at this size, like --audit-log-maxsize', '100')
    .option('--no-bundle', 'skip bundle.tar.gz')
    .option('--json', 'print a JSON summary on stdout')
    .action(async (o: Opts) => {
      const formats = o.formats.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = formats.filter((f) => !FORMATS.includes(f as SourceFormat));
      if (bad.length || formats.length === 0) throw new UserError(`--formats takes ${FORMATS.join(', ')}; got ${o.formats}`);
      const scenarios = o.scenarios === undefined ? undefined : o.scenarios.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = (scenarios ?? []).filter((s) => !SCENARIO_IDS.includes(s));
      if (unknown.length) throw new UserError(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIO_IDS.join(', ')}`);
      if (o.start !== undefined) {
        try {
          parseStart(o.start);
        } catch {
          throw new UserError(`--start must be an RFC 3339 time such as 2024-03-04T00:00:00Z, got ${o.start}`);
        }
      }
      const bar = progressBar();
      const t = performance.now();
      try {
        const r = await simulate({ out: o.out, days: positive('days', o.days), seed: o.seed, scale: positive('scale', o.scale), scenarios, formats: formats as SourceFormat[], start: o.start, rotateBytes: Math.round(positive('rotate-mb', o.rotateMb) * 1024 * 1024), bundle: o.bundle, onProgress: bar.onProgress });
        bar.stop();
        const seconds = (performance.now() - t) / 1000;
        const summary = { events: r.events, bytes: r.bytes, seconds, bundle: r.bundle, truth: r.truth, files: r.files.length };
        if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else process.stderr.write(`${r.events} events (${(r.bytes / 1e6).toFixed(1)} MB raw) in ${seconds.toFixed(1)} s → ${r.bundle ?? o.out}; ground truth: ${r.truth}\n`);
      } finally {
        bar.stop();
      }
    });
}
