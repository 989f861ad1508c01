import type { AuditEvent, Outcome } from '../../shared/domain.ts';
import { isRecord } from '../rules/fields.ts';

/**
 * What became of a request. A denied or failed request is an attempt, never a success, so the
 * storyline and the search must not read one as the other.
 *
 * denied: 401/403, or the authorizer said forbid (a webhook can deny with no code kept at Metadata
 * level); failed: any other code ≥ 400, or a Status body that says Failure; unknown: no code at
 * all (RequestReceived-only records, some cloud exports).
 */
export function outcomeOf(e: AuditEvent): Outcome {
  const code = e.responseCode;
  if (code === 401 || code === 403 || e.decision === 'forbid') return 'denied';
  if (code !== null && code >= 400) return 'failed';
  if (statusFailure(e.responseObject)) return 'failed';
  if (code === null) return 'unknown';
  return 'success';
}

function statusFailure(body: unknown): boolean {
  return isRecord(body) && body.kind === 'Status' && body.status === 'Failure';
}

/** The API server's reason names (metav1.StatusReason) for the codes it sends. */
const STATUS_REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * The reason word for a refused request: the Status body's own reason when the record kept it
 * (RequestResponse level), else the API server's name for the code; a create refused with 409
 * is AlreadyExists, which is what the server sends for it.
 */
export function statusReason(e: AuditEvent): string | null {
  const body = e.responseObject;
  if (isRecord(body) && body.kind === 'Status' && typeof body.reason === 'string' && body.reason) return body.reason;
  if (e.responseCode === null) return e.decision === 'forbid' ? 'Forbidden' : null;
  if (e.responseCode === 409 && e.verb === 'create') return 'AlreadyExists';
  return STATUS_REASONS[e.responseCode] ?? null;
}
