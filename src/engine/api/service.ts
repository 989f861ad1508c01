import type { ApiEvent, ApiResult, CaseInfo, JobInfo } from '../../shared/contract.ts';
import { CaseState } from './case-state.ts';
import { dispatch, type Handlers } from './dispatch.ts';
import { buildHandlers, type Dialogs } from './handlers.ts';
import { JobManager, type JobManagerOptions } from './jobs.ts';
import { PathPolicy } from './paths.ts';

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
}

/** The engine behind the contract: one per host process, shared by whichever transport serves it. */
export class ApiService {
  readonly handlers: Handlers;
  readonly cases: CaseState;
  readonly jobs: JobManager;
  private readonly listeners = new Set<(e: ApiEvent) => void>();

  constructor(options: ApiOptions) {
    this.cases = new CaseState((info: CaseInfo | null) => this.emit({ type: 'case', case: info }));
    this.jobs = new JobManager({ ...options.jobs, onChange: (job: JobInfo) => this.emit({ type: 'job', job }) });
    this.handlers = buildHandlers({ transport: options.transport, cases: this.cases, jobs: this.jobs, dialogs: options.dialogs, paths: new PathPolicy(options.roots) });
    if (options.caseDir) {
      try {
        this.cases.open(options.caseDir);
      } catch {
        this.cases.create(options.caseDir);
      }
    }
  }

  call(channel: string, args: unknown): Promise<ApiResult<unknown>> {
    return dispatch(this.handlers, channel, args);
  }

  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
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
