import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/engine/util/progress.ts';
import { plainProgress } from '../../src/cli/progress.ts';

const sink = (): { stream: NodeJS.WritableStream; lines: string[] } => {
  const lines: string[] = [];
  const stream = { write: (s: string) => (lines.push(...s.split('\n').filter(Boolean)), true) } as unknown as NodeJS.WritableStream;
  return { stream, lines };
};
const p = (stage: string, done: number, total: number | null, etaS: number | null = null, detail?: string): Progress => ({ stage, done, total, unit: 'steps', rate: done / 2, etaS, detail });

describe('progress without a terminal', () => {
  it('writes a plain line when a stage starts, then at most one per interval, and the last state at the end', () => {
    let t = 0;
    const { stream, lines } = sink();
    const out = plainProgress(stream, 5000, () => t);
    out.onProgress(p('train', 1, 100));
    for (t = 200; t < 12_000; t += 200) out.onProgress(p('train', Math.floor(t / 200), 100));
    expect(lines).toEqual(['train: 1/100 steps (1%) · 1/s', 'train: 25/100 steps (25%) · 13/s', 'train: 50/100 steps (50%) · 25/s']);
    out.stop();
    expect(lines.at(-1)).toBe('train: 59/100 steps (59%) · 30/s');
    expect(lines.join('\n')).not.toMatch(/[\r\u001b]/);
  });

  it('starts a new stage at once, after writing where the last one stopped', () => {
    let t = 0;
    const { stream, lines } = sink();
    const out = plainProgress(stream, 5000, () => t);
    out.onProgress(p('ingest', 10, 1000, null, 'a.log'));
    t = 1000;
    out.onProgress(p('ingest', 1000, 1000, 0, 'b.log'));
    t = 1100;
    out.onProgress(p('hunt', 0, null));
    out.stop();
    expect(lines).toEqual(['ingest: 10/1000 steps (1%) · 5/s · a.log', 'ingest: 1000/1000 steps (100%) · 500/s · ETA 0s · b.log', 'hunt: 0 steps']);
  });

  it('shows the ETA only when the engine gives one, and log text in the detail escaped', () => {
    const { stream, lines } = sink();
    const out = plainProgress(stream, 0, () => 0);
    // A stage that measures no rate (verify sends 0) gets no '0/s'.
    out.onProgress({ ...p('verify', 1, 2, null, 'evil\u001b[2J.log'), rate: 0 });
    out.onProgress(p('verify', 2, 2, 12.4));
    expect(lines).toEqual(['verify: 1/2 steps (50%) · evil\\x1b[2J.log', 'verify: 2/2 steps (100%) · 1/s · ETA 12s']);
  });
});
