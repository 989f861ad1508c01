import type { Command } from 'commander';
import type { TriageState } from '../../shared/domain.ts';
import { getFinding } from '../../engine/store/findings.ts';
import { addNote, setTriage, TRIAGE_STATES } from '../../engine/store/notes.ts';
import { currentExaminer } from '../../engine/store/case-meta.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';

export function register(program: Command): void {
  program
    .command('triage')
    .description(`set a finding's triage state (${TRIAGE_STATES.join(', ')}); journaled with a timestamp`)
    .requiredOption('--case <dir>', 'case directory')
    .requiredOption('--finding <id>', 'finding id (gumshoe findings)')
    .option('--note <text>', 'a note saying why')
    .option('--author <name>', 'who decides (default: the case examiner, gumshoe case --examiner)')
    .argument('<state>', TRIAGE_STATES.join(' | '))
    .action((state: string, o: { case: string; finding: string; note?: string; author?: string }) => {
      if (!TRIAGE_STATES.includes(state as TriageState)) throw new UserError(`unknown state '${state}' (one of: ${TRIAGE_STATES.join(', ')})`);
      const db = openExistingCase(o.case);
      try {
        if (!getFinding(db, o.finding)) throw new UserError(`no finding ${o.finding} in this case (gumshoe findings --case ${o.case})`);
        const author = o.author ?? currentExaminer(db);
        const change = setTriage(db, o.finding, state as TriageState, author);
        if (o.note?.trim()) addNote(db, o.finding, o.note, author);
        process.stderr.write(`${o.finding}: ${change.from} -> ${change.to} at ${change.at}\n`);
      } finally {
        db.close();
      }
    });
}
