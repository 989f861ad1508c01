import type { Worker } from 'node:worker_threads';
import type { ApiResult } from '../../shared/contract.ts';
import { startWorker } from '../util/worker.ts';
import type { ReadReply, ReadRequest, ReadWorkerData } from './read-protocol.ts';

/**
 * Two threads: one slow read (a search export, a verify that re-hashes gigabytes) leaves the
 * other free for the clicks that follow; more would only contend for the same disk and, on the
 * 2-core machines this runs on, the same cores as a running job.
 */
const THREADS = 2;

/** A thread's answer, or word that the thread died before giving one. */
interface Answer {
  result: ApiResult<unknown>;
  lost: boolean;
}

interface Thread {
  worker: Worker;
  pending: Map<number, (a: Answer) => void>;
}

const SHUTTING_DOWN: ApiResult<unknown> = { ok: false, error: { code: 'internal', message: 'the API is shutting down' } };

/**
 * The host's side of the read threads (read-worker.ts). Each call goes to the thread with the
 * fewest calls in flight. A thread that dies is replaced at the next call, and its calls in
 * flight are sent once more; nothing the host holds depends on it.
 */
export class ReadThreads {
  private readonly threads: (Thread | null)[] = Array.from({ length: THREADS }, () => null);
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly data: ReadWorkerData,
    private readonly entry: URL = new URL('./read-worker.ts', import.meta.url),
    /** Told why a thread died (its calls are sent again, so nobody else would hear of it). */
    private readonly onLost?: (why: string) => void,
  ) {}

  /**
   * Without a case: start every thread, as the host starts, before the UI asks (loading the
   * engine into a thread takes 1–1.5 s on the machines measured, longer under load). With one:
   * have every running thread open it now, as the host opens it.
   */
  warm(caseDir: string | null): void {
    if (caseDir === null) {
      for (let slot = 0; slot < this.threads.length; slot++) if (this.threads[slot] === null) this.start(slot);
      return;
    }
    for (const thread of this.threads) if (thread) void this.send(thread, caseDir, null, null);
  }

  /**
   * One call on the least busy thread. Reads change nothing, so a call whose thread died under it
   * (not one its handler failed) is sent once more, to another thread.
   */
  async call(caseDir: string, channel: string | null, args: unknown): Promise<ApiResult<unknown>> {
    if (this.closed) return SHUTTING_DOWN;
    const first = await this.send(this.pick(), caseDir, channel, args);
    if (!first.lost || this.closed) return first.result;
    return (await this.send(this.pick(), caseDir, channel, args)).result;
  }

  private send(thread: Thread, caseDir: string, channel: string | null, args: unknown): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      // A thread keeps the process alive only while it owes an answer (see start()).
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, resolve);
      try {
        thread.worker.postMessage({ id, caseDir, channel, args } satisfies ReadRequest);
      } catch (err) {
        // Arguments a thread cannot be sent (a function, say): no call, as dispatch would refuse them.
        thread.pending.delete(id);
        if (thread.pending.size === 0) thread.worker.unref();
        resolve({ lost: false, result: { ok: false, error: { code: 'invalid-argument', message: `arguments cannot be sent: ${err instanceof Error ? err.message : String(err)}` } } });
      }
    });
  }

  /** How many read threads are running (tests, and the host's shutdown). */
  get running(): number {
    return this.threads.filter((t) => t !== null).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const live = this.threads.filter((t): t is Thread => t !== null);
    this.threads.fill(null);
    await Promise.all(live.map((t) => t.worker.terminate()));
    for (const t of live) this.fail(t, 'the API is shutting down');
  }

  // A thread with nothing in flight takes the call; else a new thread while a slot is free; else
  // the least busy one.
  private pick(): Thread {
    const live = this.threads.filter((t): t is Thread => t !== null);
    const idle = live.find((t) => t.pending.size === 0);
    if (idle) return idle;
    const free = this.threads.indexOf(null);
    if (free !== -1) return this.start(free);
    return live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private start(slot: number): Thread {
    const worker = startWorker(this.entry, { workerData: this.data });
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (m: ReadReply) => {
      const done = thread.pending.get(m.id);
      thread.pending.delete(m.id);
      if (thread.pending.size === 0) thread.worker.unref();
      done?.({ result: m.result, lost: false });
    });
    // A thread that fails reports 'error' and then 'exit': it is lost once.
    let gone = false;
    const lost = (why: string): void => {
      if (gone) return;
      gone = true;
      if (this.threads[slot] === thread) this.threads[slot] = null;
      // Said where the host's operator can see it: the calls themselves are sent again.
      if (!this.closed) this.onLost?.(why);
      this.fail(thread, why);
    };
    worker.on('error', (err) => lost(`a read thread failed: ${err.message}`));
    worker.on('exit', (code) => lost(`a read thread exited with code ${code}`));
    // An idle thread must not keep a CLI or test process alive; call() refs it while it owes an answer.
    worker.unref();
    this.threads[slot] = thread;
    return thread;
  }

  private fail(thread: Thread, message: string): void {
    for (const done of thread.pending.values()) done({ lost: true, result: { ok: false, error: { code: 'internal', message } } });
    thread.pending.clear();
  }
}
