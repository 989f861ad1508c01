import type { AuditEvent } from '../../../shared/domain.ts';
import { objectName } from '../fields.ts';

/** Kind of object and its name, for details: `pods default/nginx`. */
export function target(e: AuditEvent): string {
  const name = objectName(e) ?? '?';
  return `${e.resource ?? '?'}${e.subresource ? `/${e.subresource}` : ''} ${e.namespace ? `${e.namespace}/` : ''}${name}`;
}
