import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { CASE_DB, openCase, type Db } from './db.ts';

/** Open a case that must already exist, with an error the user can act on when it does not. */
export function openExistingCase(caseDir: string, options: { readonly?: boolean } = {}): Db {
  if (!existsSync(join(caseDir, CASE_DB))) throw new UserError(`no case at ${caseDir} (run \`gumshoe ingest PATH --case ${caseDir}\` first)`);
  return openCase(caseDir, { readonly: options.readonly ?? false });
}
