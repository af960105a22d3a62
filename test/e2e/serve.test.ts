/**
 * `lambench serve` as a user runs it: it listens, serves, and on SIGTERM or SIGINT stops with no
 * execution-environment process left behind. Needs the build (`npx tsc -p tsconfig.json`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, environmentsOf } from '../helpers/processes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SAM = join(ROOT, 'test', 'fixtures', 'sam');

let child: ChildProcess | undefined;
let blocker: Server | undefined;

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  blocker?.close();
  child = undefined;
  blocker = undefined;
});

function serve(args: string[]): { proc: ChildProcess; url: Promise<string>; output: () => string } {
  const proc = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: SAM,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  url.catch(() => undefined);
  return { proc, url, output: () => out + err };
}

function exitOf(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

async function invokeEcho(url: string): Promise<unknown> {
  const res = await fetch(`${url}/2015-03-31/functions/echo/invocations`, {
    method: 'POST',
    body: '{"n":1}',
  });
  return res.json();
}

describe('lambench serve', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'lists the template’s functions and leaves no process after %s',
    async (signal) => {
      // Prepare: one invoke so an execution environment is running.
      const { proc, url, output } = serve(['--port', '0', '--template', 'template.yaml']);
      const endpoint = await url;
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(output()).toMatch(/^\s+echo\s+nodejs20\.x\s+256 MB/m);
      expect(output()).toMatch(/^\s+TrivialFunction\s+nodejs20\.x\s+128 MB/m);
      expect(await invokeEcho(endpoint)).toMatchObject({ echo: { n: 1 } });
      const environments = environmentsOf(proc.pid ?? 0);
      expect(environments.length).toBeGreaterThanOrEqual(1);
      // Act
      proc.kill(signal);
      // Assess
      expect(await exitOf(proc)).toBe(0);
      expect(environments.filter(alive)).toEqual([]);
    },
  );

  it('refuses a port in use with one line and exit 2', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => {
      blocker?.listen(0, '127.0.0.1', () => {
        const address = blocker?.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    const { proc, output } = serve(['--port', String(port)]);
    expect(await exitOf(proc)).toBe(2);
    expect(output().trim()).toBe(`lambench: port ${port} is in use; pick another with --port`);
  });

  it('says scenario-or-template problems in one line (a template with a bad memory size)', async () => {
    const { proc, output } = serve(['--port', '0', 'bad-memory.yaml']);
    expect(await exitOf(proc)).toBe(2);
    expect(output().trim()).toMatch(
      /^lambench: \S+bad-memory\.yaml:9:19: Resources\.Fn\.Properties\.MemorySize: /,
    );
  });
});
