// lambench through `lambench serve`: the built CLI serving a SAM template of the function set on
// loopback, called with @aws-sdk/client-lambda like any AWS endpoint.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS_DIR, nodeRuntime } from '../functions.mjs';
import { sdkInvoker, stop, tail, waitFor } from './sdk-client.mjs';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'cli', 'main.js');

export const tool = { id: 'lambench-serve', label: 'lambench serve + SDK client', isolation: 'processes' };

export async function start({ functions, work }) {
  const template = join(work, 'template.yaml');
  const resources = functions.map((f) =>
    [
      `  F${f.name}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      `      FunctionName: ${f.name}`,
      `      CodeUri: ${FUNCTIONS_DIR}`,
      `      Handler: ${f.file}.handler`,
      `      Runtime: ${nodeRuntime()}`,
      `      MemorySize: ${f.memoryMB}`,
      `      Timeout: ${f.timeoutS}`,
    ].join('\n'),
  );
  writeFileSync(
    template,
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      ...resources,
      '',
    ].join('\n'),
  );
  const proc = spawn(process.execPath, [CLI, 'serve', template, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed = tail(proc.stderr);
  const [, url] = await waitFor(proc, /listening on (http:\/\/\S+)/, 60_000, printed);
  proc.stdout.resume(); // function logs: not needed, must not fill the pipe
  const client = sdkInvoker(url);
  return {
    version: 'lambench (this tree)',
    rssRoot: proc.pid,
    invoke: client.invoke,
    async close() {
      client.close();
      await stop(proc);
    },
  };
}
