import type { Command } from 'commander';
import { register as simulate } from './simulate.ts';
import { register as evalCmd } from './eval.ts';
import { register as ingest } from './ingest.ts';
import { register as info } from './info.ts';
import { register as events } from './events.ts';
import { register as verify } from './verify.ts';
import { register as serve } from './serve.ts';
import { register as hunt } from './hunt.ts';
import { register as findings } from './findings.ts';
import { register as incidents } from './incidents.ts';
import { register as note } from './note.ts';
import { register as triage } from './triage.ts';
import { register as exportCmd } from './export.ts';
import { register as rules } from './rules.ts';
import { register as sessions } from './sessions.ts';
import { register as train } from './train.ts';
import { register as demo } from './demo.ts';
import { register as caseCmd } from './case.ts';

/** Each CLI command lives in its own file and registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [demo, ingest, info, events, verify, serve, simulate, evalCmd, hunt, incidents, findings, note, triage, exportCmd, rules, sessions, train, caseCmd];
