#!/usr/bin/env node
// lambench's entry point: runs the CLI application with the real process as its Io.
import { hideBin } from 'yargs/helpers';
import { main, reportError } from './app.js';
import { processIo } from './io.js';

const io = processIo();
main(hideBin(process.argv), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err, io);
  },
);
