/**
 * The sweep at start: an emulator process that died together with its spawner can leave its
 * `lambench-<pid>` cgroup with environments still in it (frozen ones never notice). The next
 * emulator kills those processes and removes the folder. On a machine without writable cgroups
 * there is nothing to sweep, and the emulator falls back to the duty-cycle limiter.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { alive, cpuGroupOf, procState, until } from '../helpers/processes.js';

/** A pid that no process has now: one of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('stale lambench cgroups', () => {
  it('are emptied (their processes killed, frozen ones too) and removed when an emulator starts', async () => {
    const parent = cpuGroupOf('self');
    const stale = parent === undefined ? undefined : join(parent, `lambench-${deadPid()}`);
    let orphan: ReturnType<typeof spawn> | undefined;
    let planted = false;
    if (stale !== undefined) {
      try {
        mkdirSync(join(stale, 'env-0'), { recursive: true });
        orphan = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
        writeFileSync(join(stale, 'env-0', 'cgroup.procs'), String(orphan.pid));
        orphan.kill('SIGSTOP');
        await until(() => procState(orphan?.pid ?? 0) === 'T');
        planted = true;
      } catch {
        // No writable cgroup here: the emulator cannot use one either (checked below).
      }
    }
    const em = await createEmulator();
    try {
      if (planted && orphan?.pid !== undefined) {
        const pid = orphan.pid;
        expect(em.cpuLimiter).toMatch(/^cgroup-v[12]$/);
        await until(() => !alive(pid) || procState(pid) === 'Z', 5_000);
        expect(existsSync(stale as string)).toBe(false);
      } else {
        expect(em.cpuLimiter).toBe('duty-cycle');
      }
    } finally {
      await em.close();
      orphan?.kill('SIGKILL');
    }
  });
});
