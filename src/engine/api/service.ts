import type { ApiEvent, ApiResult, CaseInfo, JobInfo } from '../../shared/contract.ts';
import { CaseState } from './case-state.ts';
import { dispatch, type Handlers } from './dispatch.ts';
import { buildHandlers, type Dialogs } from './handlers.ts';
import { JobManager, type JobManagerOptions } from './jobs.ts';
import { PathPolicy } from './paths.ts';
import { isReadCall } from './read-channels.ts';
import { ReadThreads } from './read-threads.ts';

export interface ApiOptions {
  transport: 'ipc' | 'http';
  /** Open this case at start (`gumshoe serve --case DIR`). */
  caseDir?: string;
  jobs?: Omit<JobManagerOptions, 'onChange'>;
  /** Native dialogs: only the Electron host has them. */
  dialogs?: Dialogs;
  /**
   * The folders whose files the calls may read and write (`gumshoe serve --root`); absent, any
   * path is allowed (the desktop app). docs/security.md states the rule.
   */
  roots?: readonly string[];
  /**
   * Answer the case's read calls (read-channels.ts) on worker threads rather than on the host's
   * (default): the Electron main process and `serve` must stay free to take the next click while
   * a read runs. Off, every call runs in this thread, as a CLI script or a test of the handlers
   * themselves may want.
   */
  readThreads?: boolean;
}

/** The engine behind the contract: one per host process, shared by whichever transport serves it. */
export class ApiService {
  readonly handlers: Handlers;
  readonly cases: CaseState;
  readonly jobs: JobManager;
  /** Null when reads run on this thread (options.readThreads false). */
  readonly reads: ReadThreads | null;
  private readonly listeners = new Set<(e: ApiEvent) => void>();

  constructor(options: ApiOptions) {
    this.cases = new CaseState((info: CaseInfo | null) => {
      if (info) this.reads?.warm(info.dir);
      this.emit({ type: 'case', case: info });
    });
    this.jobs = new JobManager({ ...options.jobs, onChange: (job: JobInfo) => this.emit({ type: 'job', job }) });
    this.handlers = buildHandlers({ transport: options.transport, cases: this.cases, jobs: this.jobs, dialogs: options.dialogs, paths: new PathPolicy(options.roots) });
    this.reads =
      options.readThreads === false
        ? null
        : new ReadThreads({ transport: options.transport, roots: options.roots }, undefined, (why) => void process.stderr.write(`gumshoe: ${why}; its calls were sent to a new one\n`));
    this.reads?.warm(null);
    if (options.caseDir) {
      try {
        this.cases.open(options.caseDir);
      } catch {
        this.cases.create(options.caseDir);
      }
    }
  }

  call(channel: string, args: unknown): Promise<ApiResult<unknown>> {
    // With no case open, the host answers 'no-case' itself; the thread opens the host's case.
    const dir = this.cases.info?.dir;
    if (this.reads && dir !== undefined && isReadCall(channel)) return this.reads.call(dir, channel, args);
    return dispatch(this.handlers, channel, args);
  }

  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.reads?.close();
    await this.jobs.close();
    this.cases.close();
    this.listeners.clear();
  }

  private emit(e: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A broken subscriber (a closed HTTP stream) must not stop the others.
      }
    }
  }
}
