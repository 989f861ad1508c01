import { channels, type Channel } from '../../shared/contract.ts';
import type { CaseState } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { analysisHandlers } from './handlers-analysis.ts';
import { caseHandlers } from './handlers-case.ts';
import { incidentHandlers } from './handlers-incidents.ts';
import { investigateHandlers } from './handlers-investigate.ts';
import { journalHandlers } from './handlers-journal.ts';
import { modelHandlers } from './handlers-model.ts';
import { ApiFailure, isNotYet } from './errors.ts';
import type { JobManager } from './jobs.ts';
import type { PathPolicy } from './paths.ts';

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
  /** Which paths the calls may touch (docs/security.md). */
  paths: PathPolicy;
}

const VERSION = '0.1.0';

const noDialogs = (): never => {
  throw new ApiFailure('not-available', 'Native dialogs exist only in the desktop app: type the path instead.');
};

/** The handler table over the engine. Calls whose engine has not landed answer 'not-available-yet'. */
export function buildHandlers(deps: HandlerDeps): Handlers {
  const { cases, jobs, dialogs, paths } = deps;
  // What the user picks in a native dialog is theirs to use, whatever the roots.
  const granted = <T extends string | string[] | null>(picked: T): T => {
    if (typeof picked === 'string') paths.grant(picked);
    else if (Array.isArray(picked)) for (const p of picked) paths.grant(p);
    return picked;
  };
  const table: Handlers = {
    ...caseHandlers(cases, paths),
    ...analysisHandlers(cases),
    ...incidentHandlers(cases),
    ...investigateHandlers(cases),
    ...journalHandlers(cases),
    ...modelHandlers(cases, paths, jobs),
    'app.info': () => ({ version: VERSION, transport: deps.transport, available }),

    'cases.current': () => cases.info,
    'cases.open': ({ dir }) => cases.open(paths.existing(dir, 'The case')),
    'cases.create': ({ dir }) => cases.create(paths.creatable(dir, 'The case')),

    'dialogs.pickDirectory': dialogs ? async ({ title }) => granted(await dialogs.pickDirectory(title)) : noDialogs,
    'dialogs.pickEvidence': dialogs ? async ({ title }) => granted(await dialogs.pickEvidence(title)) : noDialogs,
    'dialogs.pickSavePath': dialogs ? async ({ title, defaultName }) => granted(await dialogs.pickSavePath(title, defaultName)) : noDialogs,

    'evidence.add': ({ paths: evidence }) => {
      const c = cases.require();
      // Each path must exist and lie inside the roots, links resolved; the ingest gets the resolved one.
      const abs = evidence.map((p) => paths.existing(p, 'Evidence'));
      return { jobId: jobs.start('ingest', c.info.dir, { paths: abs }).id };
    },

    'jobs.list': () => jobs.list(),
    'jobs.start': ({ kind, options }) => ({ jobId: jobs.start(kind, cases.require().info.dir, options).id }),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),

  };
  const available: Channel[] = channels.filter((c) => !isNotYet(table[c]));
  return table;
}
