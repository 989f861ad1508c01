import type { JobKind } from '../../shared/contract.ts';
import type { Runner } from './job-protocol.ts';

/**
 * The long jobs a worker can run, by kind. A kind missing here has no engine yet: the job manager
 * refuses it with 'not-available-yet' before starting a thread. Each runner opens its own database
 * connection inside the worker (WAL lets the host keep reading meanwhile).
 */
export const runners: Partial<Record<JobKind, Runner>> = {};

export const hasRunner = (kind: JobKind): boolean => Object.hasOwn(runners, kind);
