import { z } from 'zod';
import type { ApiError, ApiErrorCode } from '../../shared/contract.ts';
import { UserError } from '../util/errors.ts';

/** A failure a handler means to report to the UI as a typed error (never a raw exception). */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Handler for a call whose engine stage has not landed yet: the UI shows this plainly. */
export function notYet(what: string): () => never {
  const fn = (): never => {
    throw new ApiFailure('not-available-yet', `${what} is not available yet: that part of the engine has not been built.`);
  };
  return Object.assign(fn, { notYet: true as const });
}

export const isNotYet = (fn: unknown): boolean => typeof fn === 'function' && (fn as { notYet?: boolean }).notYet === true;

/** Turn anything thrown into an ApiError; internal errors keep their message but never a stack. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return { code: err.code, message: err.message };
  if (err instanceof UserError) return { code: 'user', message: err.message };
  if (err instanceof z.ZodError) {
    return { code: 'invalid-argument', message: 'invalid arguments', issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
