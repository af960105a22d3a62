/** Runs the CLI in process with captured output: what `lambench …` prints, and its exit code. */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/app.js';
import type { Io } from '../../src/cli/io.js';

export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const io: Io = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {},
    cwd: process.cwd(),
    onSignal: () => () => {},
  };
  const code = await main(argv, io);
  return { code, out, err };
}
