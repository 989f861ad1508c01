import type Database from 'better-sqlite3';

/**
 * A numbered schema change, one file each, each with a test in tests/engine/store/.
 * Version ranges by area keep parallel work from colliding:
 * 1–9 evidence and events, 10–19 sessions and model, 20–29 hunt and findings, 30–39 analyst/UI.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const migrations: Migration[] = [];
