import { existsSync } from 'node:fs';
import { channels, type Channel } from '../../shared/contract.ts';
import type { CaseState } from './case-state.ts';
import { absolute } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { analysisHandlers } from './handlers-analysis.ts';
import { caseHandlers } from './handlers-case.ts';
import { incidentHandlers } from './handlers-incidents.ts';
import { modelHandlers } from './handlers-model.ts';
import { ApiFailure, isNotYet } from './errors.ts';
import type { JobManager } from './jobs.ts';

/** Native dialogs; only the desktop host has them. */
export interface Dialogs {
  pickDirectory(title?: string): Promise<string | null>;
  pickEvidence(title?: string): Promise<string[] | null>;
  pickSavePath(title?: string, defaultName?: string): Promise<string | null>;
}

export interface HandlerDeps {
  transport: 'ipc' | 'http';
  cases: CaseState;
  jobs: JobManager;
  dialogs?: Dialogs;
}

const VERSION = '0.1.0';

const noDialogs = (): never => {
  throw new ApiFailure('not-available', 'Native dialogs exist only in the desktop app: type the path instead.');
};

/** The handler table over the engine. Calls whose engine has not landed answer 'not-available-yet'. */
export function buildHandlers(deps: HandlerDeps): Handlers {
  const { cases, jobs, dialogs } = deps;
  const table: Handlers = {
    ...caseHandlers(cases),
    ...analysisHandlers(cases),
    ...incidentHandlers(cases),
    ...modelHandlers(cases),
    'app.info': () => ({ version: VERSION, transport: deps.transport, available }),

    'cases.current': () => cases.info,
    'cases.open': ({ dir }) => cases.open(dir),
    'cases.create': ({ dir }) => cases.create(dir),

    'dialogs.pickDirectory': dialogs ? ({ title }) => dialogs.pickDirectory(title) : noDialogs,
    'dialogs.pickEvidence': dialogs ? ({ title }) => dialogs.pickEvidence(title) : noDialogs,
    'dialogs.pickSavePath': dialogs ? ({ title, defaultName }) => dialogs.pickSavePath(title, defaultName) : noDialogs,

    'evidence.add': ({ paths }) => {
      const c = cases.require();
      const abs = paths.map(absolute);
      const missing = abs.filter((p) => !existsSync(p));
      if (missing.length) throw new ApiFailure('user', `No such file or directory: ${missing.slice(0, 3).join(', ')}`);
      return { jobId: jobs.start('ingest', c.info.dir, { paths: abs }).id };
    },

    'jobs.list': () => jobs.list(),
    'jobs.start': ({ kind, options }) => ({ jobId: jobs.start(kind, cases.require().info.dir, options).id }),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),

  };
  const available: Channel[] = channels.filter((c) => !isNotYet(table[c]));
  return table;
}
