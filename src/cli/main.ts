#!/usr/bin/env node
// lambench's entry point: runs the CLI application with the real process as its Io.
import { hideBin } from 'yargs/helpers';
import { main, reportError } from './app.js';
import { processIo } from './io.js';

// lambench pins its AWS SDK version and runs on Node 20: the SDK's notice about its releases from
// 2027 on does not apply to this build and would only clutter every run against AWS.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const io = processIo();
main(hideBin(process.argv), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err, io);
  },
);
