/**
 * `lambench serve <scenario>` in its own process as the endpoint the aws target talks to, and the
 * environment a run against it gets: throwaway credentials with values distinctive enough to grep
 * for in everything the run writes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { onTestFinished } from 'vitest';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** Fake credentials: the emulator does not check signatures, so any value works. */
export const ACCESS_KEY_ID = 'AKIALAMBENCHTEST7Q2Z';
export const SECRET_ACCESS_KEY = 'lambenchSecretKeyNeverWrittenAnywhere9x8y7';
export const SESSION_TOKEN = 'lambenchSessionTokenNeverWrittenAnywhere5w4v';

export function awsEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export interface ServeProcess {
  url: string;
  proc: ChildProcess;
}

/** Starts `lambench serve <scenario> --port 0 [args]`; it is killed when the test finishes. */
export async function startServe(scenario: string, args: string[] = []): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [CLI, 'serve', scenario, '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
  });
  let out = '';
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { url, proc };
}

/** An SDK client on the endpoint, to look at what a run left behind. */
export function lambdaAt(url: string): LambdaClient {
  const client = new LambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  });
  onTestFinished(() => client.destroy());
  return client;
}

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the built CLI to completion with the fake credentials. */
export function runLambench(
  args: string[],
  options: { onSpawn?: (proc: ChildProcess) => void } = {},
): Promise<CliRun> {
  const proc = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: awsEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(proc);
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve) => proc.once('close', (code) => resolve({ code, out, err })));
}

/** `lambench run <scenario> --target aws --endpoint <endpoint> --yes --no-progress --output <output>`. */
export function runOnAws(
  scenario: string,
  endpoint: string,
  output: string,
  extra: string[] = [],
  options: { onSpawn?: (proc: ChildProcess) => void } = {},
): Promise<CliRun> {
  const args = ['run', scenario, '--target', 'aws', '--endpoint', endpoint, '--yes', '--no-progress'];
  return runLambench([...args, '--output', output, ...extra], options);
}
