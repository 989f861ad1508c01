import { platform } from 'node:os';
import { describe, expect, it } from 'vitest';
import { threadCpuSeconds } from '../../../src/engine/util/thread-cpu.ts';

describe('threadCpuSeconds', () => {
  it.runIf(platform() === 'linux')('counts the CPU this thread burns', () => {
    const before = threadCpuSeconds();
    expect(before).not.toBeNull();
    // Burn until the process as a whole has spent 300 ms more: all of it on this thread.
    const p0 = process.cpuUsage();
    let x = 0;
    while (process.cpuUsage(p0).user < 300_000) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    const spent = (threadCpuSeconds() as number) - (before as number);
    // Tick resolution is 10 ms; other threads (GC helpers) can only make the process figure larger.
    expect(spent).toBeGreaterThanOrEqual(0.2);
    expect(spent).toBeLessThan(5);
  });

  it.runIf(platform() !== 'linux')('says null where the OS has no per-thread figure', () => {
    expect(threadCpuSeconds()).toBeNull();
  });
});
