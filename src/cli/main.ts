import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';
import { UserError } from '../engine/util/errors.ts';
import { guardClosedPipes } from './output.ts';
import { termSafe } from './sanitize.ts';

/** Runs the CLI; returns the process exit code instead of exiting, so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  guardClosedPipes();
  const program = new Command('gumshoe')
    .description('Offline forensic workstation for Kubernetes API-server audit logs')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof UserError) {
      // Messages quote paths and record text: log-derived, so made terminal-safe.
      process.stderr.write(`gumshoe: ${termSafe(err.message)}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
