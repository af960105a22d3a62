/** Process checks the emulator tests share: is a pid alive, its /proc state, waiting on a condition. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process state letter from /proc (T = stopped). */
export function procState(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '?';
}

/** Resolves once `check()` holds; fails after `ms`. */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Direct children of a process (of its main thread, which is where Node spawns). */
export function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

/** True for the emulator's spawner process (it forks the execution environments). */
export function isSpawner(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('spawner/main.js');
  } catch {
    return false;
  }
}

/**
 * The execution environments a process started: the children of its spawner, and any direct
 * child that is not the spawner — checked in /proc, not in the emulator's own bookkeeping.
 */
export function environmentsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => (isSpawner(child) ? childrenOf(child) : [child]));
}

/** What a finished child process printed, and its exit code. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <file> <args>` in `cwd` with `env` (and `stdin` written, then closed). */
export function runNode(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string },
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * The group of process `pid` in the cpu cgroup hierarchy (the v1 cpu controller or the v2 tree),
 * as a folder under its mount point; undefined when this machine mounts neither. Read from /proc,
 * independently of the emulator's own cgroup code.
 */
export function cpuGroupOf(pid: number | 'self'): string | undefined {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const [id, controllers, path] = line.split(':');
    if (path === undefined) continue;
    const v1 = controllers?.split(',').includes('cpu') === true;
    const v2 = id === '0' && controllers === '';
    for (const mount of mounts) {
      const [left, right] = mount.split(' - ');
      const point = left?.split(' ')[4];
      const [type, , options] = right?.split(' ') ?? [];
      if (!point) continue;
      if ((v1 && type === 'cgroup' && options?.split(',').includes('cpu')) || (v2 && type === 'cgroup2')) {
        return join(point, path);
      }
    }
  }
  return undefined;
}
