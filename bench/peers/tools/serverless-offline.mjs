// serverless-offline 13.10.1 under serverless 3.40.0: `serverless offline start` serving the
// function set (a worker thread per concurrent instance), called on its Lambda invoke endpoint on
// loopback with @aws-sdk/client-lambda.
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { FUNCTIONS_DIR } from '../functions.mjs';
import { PEERS, peerDir } from '../install.mjs';
import { sdkInvoker, stop, tail, waitFor } from './sdk-client.mjs';

export const tool = {
  id: 'serverless-offline',
  label: 'serverless-offline + SDK client',
  isolation: 'threads',
};

/** A free loopback port (closed again at once; serverless binds it a moment later). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function start({ functions, work }) {
  // A service folder: the handlers, a serverless.yml, and the peer's node_modules for the plugin.
  for (const f of readdirSync(FUNCTIONS_DIR)) copyFileSync(join(FUNCTIONS_DIR, f), join(work, f));
  symlinkSync(join(peerDir('serverless-offline'), 'node_modules'), join(work, 'node_modules'));
  const yml = [
    'service: lambench-peers',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  region: us-east-1',
    'plugins:',
    '  - serverless-offline',
    'functions:',
    ...functions.flatMap((f) => [
      `  ${f.name}:`,
      `    handler: ${f.file}.handler`,
      `    memorySize: ${f.memoryMB}`,
      `    timeout: ${f.timeoutS}`,
    ]),
    '',
  ];
  writeFileSync(join(work, 'serverless.yml'), yml.join('\n'));
  const [lambdaPort, httpPort, websocketPort] = [await freePort(), await freePort(), await freePort()];
  const proc = spawn(
    process.execPath,
    [
      join(work, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'offline',
      'start',
      '--host',
      '127.0.0.1',
      '--lambdaPort',
      String(lambdaPort),
      '--httpPort',
      String(httpPort),
      '--websocketPort',
      String(websocketPort),
    ],
    {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No telemetry, update checks, prompts or dashboard: nothing leaves the machine.
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        SLS_INTERACTIVE_SETUP_DISABLE: '1',
        SLS_DEPRECATION_DISABLE: '*',
        CI: '1',
      },
    },
  );
  // serverless logs on stderr; a line per invoke, so only the tail is kept (for an error message).
  const printed = tail(proc.stderr);
  proc.stdout.resume();
  await waitFor(proc, /\[http for lambda\] listening/, 180_000, printed);
  const client = sdkInvoker(`http://127.0.0.1:${lambdaPort}`, (name) => `lambench-peers-dev-${name}`);
  const versions = PEERS['serverless-offline'].packages;
  return {
    version: `serverless-offline ${versions['serverless-offline']}, serverless ${versions.serverless}`,
    rssRoot: proc.pid,
    invoke: client.invoke,
    async close() {
      client.close();
      await stop(proc);
    },
  };
}
