import type { Command } from 'commander';
import { getFinding } from '../../engine/store/findings.ts';
import { addNote } from '../../engine/store/notes.ts';
import { currentExaminer } from '../../engine/store/case-meta.ts';
import { openExistingCase } from '../../engine/store/open.ts';
import { UserError } from '../../engine/util/errors.ts';

export function register(program: Command): void {
  program
    .command('note')
    .description('add a note to a finding (journaled with a timestamp)')
    .requiredOption('--case <dir>', 'case directory')
    .requiredOption('--finding <id>', 'finding id (gumshoe findings)')
    .option('--author <name>', 'who writes the note (default: the case examiner, gumshoe case --examiner)')
    .argument('<text>', 'the note')
    .action((text: string, o: { case: string; finding: string; author?: string }) => {
      if (!text.trim()) throw new UserError('the note is empty');
      const db = openExistingCase(o.case);
      try {
        if (!getFinding(db, o.finding)) throw new UserError(`no finding ${o.finding} in this case (gumshoe findings --case ${o.case})`);
        const n = addNote(db, o.finding, text, o.author ?? currentExaminer(db));
        process.stderr.write(`note ${n.id} added to ${o.finding} at ${n.createdAt}\n`);
      } finally {
        db.close();
      }
    });
}
