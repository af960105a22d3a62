/**
 * The CLI application: wires the command modules, turns every error into one clear line and the
 * documented exit code (2 bad input, 3 internal failure), never a stack trace unless
 * LAMBENCH_DEBUG is set.
 */
import yargs from 'yargs';
import { ExitCode, LambenchError } from '../core/errors.js';
import { compareCommand } from './commands/compare.js';
import { eventsCommand } from './commands/events.js';
import { invokeCommand } from './commands/invoke.js';
import { reportCommand } from './commands/report.js';
import { restoreCommand } from './commands/restore.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { sweepCommand } from './commands/sweep.js';
import type { Io } from './io.js';

export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const parser = yargs(argv)
    .scriptName('lambench')
    .usage('$0 <command> [options]')
    .command(invokeCommand(io, setExit))
    .command(serveCommand(io, setExit))
    .command(eventsCommand(io, setExit))
    .command(runCommand(io, setExit))
    .command(restoreCommand(io, setExit))
    .command(sweepCommand(io, setExit))
    .command(reportCommand(io, setExit))
    .command(compareCommand(io, setExit))
    .command(schemaCommand(io, setExit))
    .demandCommand(
      1,
      'Name a command: invoke, serve, events, run, sweep, report, compare, restore or schema.',
    )
    .strict()
    .recommendCommands()
    .help()
    .version()
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    return reportError(err, io);
  }
  return exitCode;
}

class UsageError extends LambenchError {
  constructor(message: string) {
    super('USAGE', `${message} (see lambench --help)`, { exitCode: ExitCode.BadInput });
  }
}

export function reportError(err: unknown, io: Io): number {
  if (err instanceof LambenchError) {
    io.stderr.write(`lambench: ${err.toLine().split('\n').join('\nlambench: ')}\n`);
    if (io.env.LAMBENCH_DEBUG && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`lambench: internal error: ${message}\n`);
  if (io.env.LAMBENCH_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return ExitCode.Internal;
}
