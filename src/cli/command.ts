import type { CommandModule } from 'yargs';
import type { Io } from './io.js';

/** Each command module exports a factory: the Io to use, and how to set the exit code. */
// biome-ignore lint/suspicious/noExplicitAny: each command narrows its own parsed arguments; yargs types the builder's result per command.
export type CommandFactory = (io: Io, setExit: (code: number) => void) => CommandModule<object, any>;
