import cliProgress from 'cli-progress';
import type { Progress, ProgressFn } from '../engine/util/progress.ts';

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : `${Math.round(n)}`);

/**
 * A progress bar on stderr (stdout stays clean for --json). Silent when stderr is not a TTY
 * unless `always` is set, so logs and CI output stay readable.
 */
export function progressBar(always = false): { onProgress: ProgressFn; stop(): void } {
  if (!process.stderr.isTTY && !always) {
    return { onProgress: () => undefined, stop: () => undefined };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{stage} |{bar}| {percentage}% {value}/{total} {unit} · {rate}/s · ETA {eta_s} {detail}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(p: Progress) {
      const total = p.total ?? Math.max(p.done, 1);
      const payload = { stage: p.stage, unit: p.unit, rate: fmt(p.rate), eta_s: p.etaS === null ? '?' : `${Math.round(p.etaS)}s`, detail: p.detail ?? '' };
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
    },
  };
}
