import type { AuditEvent, Outcome } from '../../shared/domain.ts';
import { outcomeOf, statusReason } from '../events/outcome.ts';

// What became of a request is decided once, in events/outcome.ts (storylines and search read the
// same function); this file only says how a rule hit words an attempt.
export { outcomeOf };

/** An attempt: the request was made but did not take effect (denied or failed). */
export const isAttempt = (o: Outcome): boolean => o === 'denied' || o === 'failed';

/** `denied (403 Forbidden)`, `failed (409 AlreadyExists)`: the words an attempt's detail starts with. */
export function outcomeWords(e: AuditEvent, o: Outcome): string {
  const parts = [e.responseCode === null ? null : String(e.responseCode), statusReason(e)].filter((p) => p !== null);
  return parts.length > 0 ? `${o} (${parts.join(' ')})` : o;
}

/** The title of an attempt's hit: what was tried, never what was done. */
export function attemptTitle(title: string, o: Outcome): string {
  return o === 'denied' ? `denied: ${title}` : `attempted (failed): ${title}`;
}
