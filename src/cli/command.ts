import type { CommandModule } from 'yargs';
import type { Io } from './io.js';

/** Each command module exports a factory: the Io to use, and how to set the exit code. */
export type CommandFactory = (io: Io, setExit: (code: number) => void) => CommandModule<object, any>;
