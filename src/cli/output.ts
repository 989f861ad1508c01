/**
 * `gumshoe findings | head` closes the pipe early: the reader's choice, not a failure. Node ignores
 * SIGPIPE, so the next write fails with EPIPE, emitted as an 'error' on the stream; with no
 * listener that is an uncaught exception and a stack trace. Here EPIPE on stdout or stderr marks
 * the stream closed and is otherwise ignored: the command finishes (its exit status still says
 * what it found, e.g. verify's 1 on a mismatch) and writes after that go nowhere.
 */
const closed = new Set<NodeJS.WriteStream>();
let installed = false;

/** Installed once per process and left in place: the EPIPE can arrive after the command returned. */
export function guardClosedPipes(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      closed.add(stream);
    });
  }
}

/** Whether the reader of stdout has gone away. */
export const stdoutClosed = (): boolean => closed.has(process.stdout);

/**
 * Write to stdout and wait while the pipe is full, so a long listing streams at the reader's pace
 * with flat memory, and stops as soon as the reader is gone instead of buffering the whole case.
 * Resolves false once stdout is closed.
 */
export async function writeOut(text: string): Promise<boolean> {
  if (stdoutClosed()) return false;
  if (!process.stdout.write(text)) {
    // Not events.once: it rejects on 'error', and EPIPE is not one here.
    await new Promise<void>((resume) => {
      const done = (): void => {
        process.stdout.off('drain', done);
        process.stdout.off('close', done);
        process.stdout.off('error', done);
        resume();
      };
      process.stdout.on('drain', done);
      process.stdout.on('close', done);
      process.stdout.on('error', done);
    });
  }
  return !stdoutClosed();
}
