/**
 * `lambench restore <journal>`: after a run against AWS that could not clean up (killed, crashed,
 * lost its network), puts the functions back as the journal says they were and deletes the
 * versions and aliases the run created. Safe to run twice.
 */
import { ExitCode, LambenchError } from '../../core/errors.js';
import { controlClient } from '../../targets/aws/clients.js';
import { readJournal } from '../../targets/aws/journal.js';
import { restoreFromJournal } from '../../targets/aws/restore.js';
import type { CommandFactory } from '../command.js';
import { println } from '../io.js';

interface RestoreArgs {
  journal: string;
  endpoint?: string;
  profile?: string;
}

export const restoreCommand: CommandFactory = (io, setExit) => ({
  command: 'restore <journal>',
  describe: 'Put back what an interrupted run against AWS changed, from its restore-journal.json',
  builder: (y) =>
    y
      .positional('journal', {
        type: 'string',
        describe: "the run folder's restore-journal.json",
        demandOption: true,
      })
      .option('endpoint', { type: 'string', describe: 'endpoint to use instead of the one in the journal' })
      .option('profile', { type: 'string', describe: 'profile to use instead of the one in the journal' }),
  handler: async (argv) => {
    const args = argv as unknown as RestoreArgs;
    const journal = await readJournal(args.journal);
    const j = journal.data;
    if (j.restoredAt !== undefined) {
      println(io.stderr, `${args.journal}: already restored at ${j.restoredAt}; checking again`);
    }
    const endpoint = args.endpoint ?? j.endpoint;
    const profile = args.profile ?? j.profile;
    const lambda = controlClient({
      region: j.region,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(profile === undefined ? {} : { profile }),
    });
    try {
      const outcome = await restoreFromJournal(journal, lambda);
      for (const line of outcome.done) println(io.stdout, `restored ${line}`);
      if (outcome.problems.length > 0) {
        throw new LambenchError(
          'AWS_RESTORE',
          `${outcome.problems.length} step(s) failed: ${outcome.problems.join('; ')} (fix the cause and run lambench restore again)`,
        );
      }
      println(
        io.stdout,
        `${args.journal}: everything the run changed is back (${Object.keys(j.functions).length} function(s))`,
      );
      setExit(ExitCode.Ok);
    } finally {
      lambda.destroy();
    }
  },
});
