import { readFileSync } from 'node:fs';

// Linux reports utime/stime in clock ticks; 100 per second on every kernel Node supports there.
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by the calling thread alone, or null where the OS does not say.
 * process.cpuUsage() sums every thread, so it cannot tell a reader worker from its writer;
 * on a shared machine per-thread CPU is the figure that other people's load barely moves.
 */
export function threadCpuSeconds(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : null;
}
