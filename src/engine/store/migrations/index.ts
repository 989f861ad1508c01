import type Database from 'better-sqlite3';
import { m001Evidence } from './001-evidence.ts';
import { m002Events } from './002-events.ts';
import { m003RecordErrors } from './003-record-errors.ts';
import { m004EventIndexes } from './004-event-indexes.ts';
import { m005EventRawFile } from './005-event-raw-file.ts';
import { m006EventRawRef } from './006-event-raw-ref.ts';
import { m007EventOriginPosition } from './007-event-origin-position.ts';
import { m010Sessions } from './010-sessions.ts';
import { m011Models } from './011-models.ts';
import { m020Findings } from './020-findings.ts';
import { m021Analyst } from './021-analyst.ts';
import { m022Incidents } from './022-incidents.ts';
import { m030CaseMetaMarks } from './030-case-meta-marks.ts';
import { m031StoreSeals } from './031-store-seals.ts';
import { m032Search } from './032-search.ts';
import { m033SessionEnd } from './033-session-end.ts';
import { m034SessionNodeEvents } from './034-session-node-events.ts';
import { m035SessionSummaryIndex } from './035-session-summary-index.ts';
import { m036ClassProbabilities } from './036-class-probabilities.ts';

/**
 * A numbered schema change, one file each, each with a test in tests/engine/store/.
 * Version ranges by area keep parallel work from colliding:
 * 1–9 evidence and events, 10–19 sessions and model, 20–29 hunt and findings, 30–39 analyst/UI.
 * A new migration must also be numbered above every released one: migrate() applies only
 * versions above a case's stored version, so a number below it never runs there (033 is why).
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const migrations: Migration[] = [
  m001Evidence,
  m002Events,
  m003RecordErrors,
  m004EventIndexes,
  m005EventRawFile,
  m006EventRawRef,
  m007EventOriginPosition,
  m010Sessions,
  m011Models,
  m020Findings,
  m021Analyst,
  m022Incidents,
  m030CaseMetaMarks,
  m031StoreSeals,
  m032Search,
  m033SessionEnd,
  m034SessionNodeEvents,
  m035SessionSummaryIndex,
  m036ClassProbabilities,
];
