import type { Severity } from '../shared/domain.ts';
import { UserError } from '../engine/util/errors.ts';

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** A comma-separated option whose items must each be one of `allowed`; undefined when not given. */
export function listOption<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const i of items) if (!allowed.includes(i as T)) throw new UserError(`unknown ${what} '${i}' (one of: ${allowed.join(', ')})`);
  return items as T[];
}
