import cliProgress from 'cli-progress';
import type { Progress, ProgressFn } from '../engine/util/progress.ts';
import { termSafe } from './sanitize.ts';

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : `${Math.round(n)}`);

export interface ProgressOutput {
  onProgress: ProgressFn;
  stop(): void;
}

/**
 * Progress on stderr (stdout stays clean for --json): a redrawn bar on a terminal, plain lines
 * otherwise (a log file, CI, `2>&1 | tee`), where bar redraws would be a wall of control codes.
 */
export function progressBar(): ProgressOutput {
  return process.stderr.isTTY ? ttyBar() : plainProgress(process.stderr);
}

/**
 * One line every `everyMs` per stage, and at once when a stage starts, so a long job shows it is
 * alive without flooding a log: "train: 120/4000 steps (3%) · 41/s · ETA 95s · epoch 2". Five
 * seconds: frequent enough to tell a stall from slow work, few enough that an hour-long ingest
 * writes ~700 lines. The last state of a stage is written when it ends, so the log shows how far
 * it got.
 */
export function plainProgress(out: NodeJS.WritableStream, everyMs = 5000, now: () => number = () => performance.now()): ProgressOutput {
  let stage: string | null = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  let pending: Progress | null = null;
  const write = (p: Progress): void => {
    const of = p.total === null ? `${fmt(p.done)} ${p.unit}` : `${fmt(p.done)}/${fmt(p.total)} ${p.unit} (${p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100}%)`;
    const parts = [`${p.stage}: ${of}`];
    // Stages that do not measure a rate send 0: no '0/s' for them.
    if (p.rate > 0) parts.push(`${fmt(p.rate)}/s`);
    if (p.etaS !== null) parts.push(`ETA ${Math.round(p.etaS)}s`);
    if (p.detail) parts.push(p.detail);
    // Detail can quote log text (a file name, an archive member).
    out.write(`${termSafe(parts.join(' · '))}\n`);
    pending = null;
  };
  return {
    onProgress(p: Progress) {
      const t = now();
      if (p.stage !== stage) {
        if (pending) write(pending);
        stage = p.stage;
      } else if (t - lastAt < everyMs) {
        pending = p;
        return;
      }
      lastAt = t;
      write(p);
    },
    stop() {
      if (pending) write(pending);
    },
  };
}

function ttyBar(): ProgressOutput {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{stage} |{bar}| {percentage}% {value}/{total} {unit} · {rate}/s{eta_text} {detail}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(p: Progress) {
      const total = p.total ?? Math.max(p.done, 1);
      // No ETA until the engine has one it trusts (estimateEta), rather than a '?' or a wild guess;
      // not named 'eta', which is the bar's own (naive) token.
      const payload = { stage: p.stage, unit: p.unit, rate: fmt(p.rate), eta_text: p.etaS === null ? '' : ` · ETA ${Math.round(p.etaS)}s`, detail: termSafe(p.detail ?? '') };
      if (!started) {
        bar.start(total, p.done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
