import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { CaseInfo } from '../../shared/contract.ts';
import { CASE_DB, openCase, type Db } from '../store/db.ts';
import { ApiFailure } from './errors.ts';

export interface OpenCase {
  info: CaseInfo;
  db: Db;
}

/** The case the host has open (one at a time, like a document window). */
export class CaseState {
  private current: OpenCase | null = null;

  constructor(private readonly onChange: (info: CaseInfo | null) => void) {}

  get info(): CaseInfo | null {
    return this.current?.info ?? null;
  }

  /** The open case, or a 'no-case' failure the UI turns into "open a case first". */
  require(): OpenCase {
    if (!this.current) throw new ApiFailure('no-case', 'No case is open: create or open one first.');
    return this.current;
  }

  open(dir: string): CaseInfo {
    const abs = absolute(dir);
    if (!existsSync(join(abs, CASE_DB))) throw new ApiFailure('user', `${abs} is not a Gumshoe case (no ${CASE_DB} in it).`);
    return this.swap(abs, openCase(abs));
  }

  create(dir: string): CaseInfo {
    const abs = absolute(dir);
    if (existsSync(join(abs, CASE_DB))) throw new ApiFailure('user', `${abs} already holds a case: open it instead.`);
    if (existsSync(abs) && !statSync(abs).isDirectory()) throw new ApiFailure('user', `${abs} is a file, not a directory.`);
    return this.swap(abs, openCase(abs, { create: true }));
  }

  close(): void {
    this.current?.db.close();
    this.current = null;
  }

  private swap(dir: string, db: Db): CaseInfo {
    this.current?.db.close();
    this.current = { info: { dir, name: basename(dir) }, db };
    this.onChange(this.current.info);
    return this.current.info;
  }
}

/** Paths come from a text field in web mode: insist on absolute ones so "where" is never a guess. */
export function absolute(p: string): string {
  if (!isAbsolute(p)) throw new ApiFailure('user', `Give an absolute path (got ${p.slice(0, 200)}).`);
  return resolve(p);
}
