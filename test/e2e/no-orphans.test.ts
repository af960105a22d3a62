/**
 * Nothing outlives the harness: `lambench run` and `lambench serve` killed with SIGKILL mid-run (an
 * OOM killer, a CI timeout, kill -9) leave no execution environment — busy, idle or frozen — and no
 * cgroup folder of theirs a few seconds later, with the cgroup limiter and without cgroups (the
 * duty-cycle limiter, as on machines that cannot create cgroups). Needs the build.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, environmentsIn, FIXTURES, ROOT } from '../fixtures/run/lambench.js';
import { cpuGroupOf, environmentsOf, procState, until } from '../helpers/processes.js';

const ORPHANS = join(FIXTURES, 'orphans');
const FUNCTIONS = join(ORPHANS, 'functions');
const work = mkdtempSync(join(tmpdir(), 'lambench-no-orphans-'));
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Limiter = 'cgroup' | 'duty-cycle';

function start(args: string[], limiter: Limiter): { child: ChildProcess; output: () => string } {
  const env = { ...process.env };
  if (limiter === 'duty-cycle') env.LAMBENCH_CPU_LIMITER = 'duty-cycle';
  else delete env.LAMBENCH_CPU_LIMITER;
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return { child, output: () => output };
}

/**
 * Where the emulator of process `pid` makes its cgroup folder (`lambench-<pid>` next to its own
 * group in the cpu hierarchy), or undefined when this machine has no cpu cgroup hierarchy.
 */
function cgroupFolderOf(pid: number): string | undefined {
  const group = cpuGroupOf(pid);
  return group === undefined ? undefined : join(group, `lambench-${pid}`);
}

/** Kills `child` with SIGKILL once environments run and one is frozen, and checks nothing is left. */
async function killAndCheck(child: ChildProcess, limiter: Limiter, output: () => string): Promise<void> {
  const pid = child.pid ?? 0;
  await until(() => environmentsIn(FUNCTIONS).length >= 3, 40_000).catch(() => {
    throw new Error(`fewer than 3 environments came up:\n${output()}`);
  });
  // Idle environments are frozen (SIGSTOP) 100 ms after their last call: wait for one.
  await until(() => environmentsIn(FUNCTIONS).some((p) => stateOf(p) === 'T'), 20_000);
  const environments = environmentsIn(FUNCTIONS);
  // They are the harness's, through its spawner (not some other test's).
  expect(environmentsOf(pid).sort()).toEqual([...environments].sort());
  const folder = cgroupFolderOf(pid);
  if (limiter === 'cgroup' && folder !== undefined) expect(existsSync(folder), folder).toBe(true);

  child.kill('SIGKILL');
  await until(() => child.exitCode !== null || child.signalCode !== null, 10_000);
  // A few seconds later (up to 10 s on a loaded machine): no environment, frozen ones included,
  // and no cgroup folder.
  await until(
    () => environmentsIn(FUNCTIONS).length === 0 && (folder === undefined || !existsSync(folder)),
    10_000,
  ).catch(() => undefined);
  expect(environmentsIn(FUNCTIONS)).toEqual([]);
  if (folder !== undefined) expect(existsSync(folder), folder).toBe(false);
}

function stateOf(pid: number): string {
  try {
    return procState(pid);
  } catch {
    return '?';
  }
}

describe.each(['cgroup', 'duty-cycle'] as const)(
  'SIGKILL mid-run leaves nothing behind (%s limiter)',
  (limiter) => {
    it('lambench run', async () => {
      const { child, output } = start(
        ['run', join(ORPHANS, 'long.yaml'), '--no-progress', '--output', join(work, `run-${limiter}`)],
        limiter,
      );
      await killAndCheck(child, limiter, output);
    });

    it('lambench serve', async () => {
      const { child, output } = start(['serve', '--port', '0', join(ORPHANS, 'long.yaml')], limiter);
      await until(() => /listening on http:\/\/\S+/.test(output()), 30_000);
      const url = /listening on (http:\/\/\S+)/.exec(output())?.[1] as string;
      // Three calls of 20 s in flight, each in its own environment; then a quick one in a fourth,
      // which idles afterwards and is frozen.
      const call = (ms: number) =>
        fetch(`${url}/2015-03-31/functions/nap/invocations`, {
          method: 'POST',
          body: JSON.stringify({ ms }),
        }).catch(() => undefined);
      const calls = [call(20_000), call(20_000), call(20_000)];
      await until(() => environmentsIn(FUNCTIONS).length >= 3, 40_000);
      calls.push(call(10));
      await killAndCheck(child, limiter, output);
      await Promise.all(calls);
    });
  },
);
