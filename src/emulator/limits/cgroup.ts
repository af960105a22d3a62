/**
 * CPU limits through a cgroup: v2 `cpu.max` or v1 `cpu.cfs_quota_us`/`cpu.cfs_period_us`. The
 * emulator makes one parent group `lambench-<pid>` under its own cgroup and one child group per
 * execution environment; both are removed on close. Needs write access to the cgroup tree (root, or a
 * delegated subtree); otherwise `probe` returns undefined and the caller falls back.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * cgroup period in µs; the quota is share × period. A short period keeps the stall a throttled
 * invoke sees short (at 128 MB the quota is 1.4 ms of every 20 ms) instead of bunching it up.
 */
const PERIOD_US = 20_000;

export interface CgroupTree {
  readonly version: 'cgroup-v2' | 'cgroup-v1';
  /** This emulator's parent group, `…/lambench-<pid>`. */
  readonly root: string;
  /** Creates an environment's group, unlimited for now, and moves `pid` into it; returns its path. */
  attach(name: string, pid: number): string;
  /** Sets the group's CPU quota to `share` cores. */
  limit(path: string, share: number): void;
  remove(path: string): void;
  close(): void;
}

interface Mount {
  type: 'cgroup2' | 'cgroup';
  point: string;
  options: string;
}

function mounts(): Mount[] {
  const out: Mount[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    // mountinfo: id parent maj:min root mountpoint opts … - fstype source superopts
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const point = left.split(' ')[4];
    const [type, , superOpts] = right.split(' ');
    if (point && (type === 'cgroup2' || type === 'cgroup'))
      out.push({ type, point, options: superOpts ?? '' });
  }
  return out;
}

/** This process's cgroup path for a hierarchy (v2: `0::/path`; v1: `N:cpu,cpuacct:/path`). */
function ownPath(version: 'cgroup-v2' | 'cgroup-v1'): string | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [id, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (version === 'cgroup-v2' && id === '0' && controllers === '') return path;
    if (version === 'cgroup-v1' && controllers?.split(',').includes('cpu')) return path;
  }
  return undefined;
}

/** Tries to set up a cgroup tree of the given version; undefined when this machine does not allow it. */
export function probeCgroup(version: 'cgroup-v2' | 'cgroup-v1'): CgroupTree | undefined {
  try {
    const all = mounts();
    const mount =
      version === 'cgroup-v2'
        ? all.find((m) => m.type === 'cgroup2')
        : all.find((m) => m.type === 'cgroup' && m.options.split(',').includes('cpu'));
    const own = ownPath(version);
    if (!mount || own === undefined) return undefined;
    removeStale(join(mount.point, own));
    const root = join(mount.point, own, `lambench-${process.pid}`);
    mkdirSync(root, { recursive: true });
    try {
      if (version === 'cgroup-v2') {
        if (
          !readFileSync(join(mount.point, own, 'cgroup.controllers'), 'utf8')
            .split(/\s/)
            .includes('cpu')
        ) {
          throw new Error('cpu controller not available');
        }
        writeFileSync(join(mount.point, own, 'cgroup.subtree_control'), '+cpu');
        writeFileSync(join(root, 'cgroup.subtree_control'), '+cpu');
      }
      const tree = new Tree(version, root);
      const probe = tree.attach('probe', 0);
      tree.limit(probe, 1);
      tree.remove(probe);
      return tree;
    } catch (err) {
      rmdirQuiet(root);
      throw err;
    }
  } catch {
    return undefined;
  }
}

class Tree implements CgroupTree {
  readonly version: 'cgroup-v2' | 'cgroup-v1';
  readonly #root: string;

  constructor(version: 'cgroup-v2' | 'cgroup-v1', root: string) {
    this.version = version;
    this.#root = root;
  }

  get root(): string {
    return this.#root;
  }

  attach(name: string, pid: number): string {
    const dir = join(this.#root, name);
    mkdirSync(dir, { recursive: true });
    if (pid > 0) writeFileSync(join(dir, 'cgroup.procs'), String(pid));
    return dir;
  }

  limit(dir: string, share: number): void {
    // The kernel's smallest quota is 1 ms.
    const quota = Math.max(1000, Math.round(share * PERIOD_US));
    if (this.version === 'cgroup-v2') {
      writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
    } else {
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
    }
  }

  remove(path: string): void {
    rmdirQuiet(path);
  }

  close(): void {
    rmdirQuiet(this.#root);
  }
}

/** rmdir of a cgroup fails while it still has processes (EBUSY); a later close retries the parent. */
function rmdirQuiet(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Still busy or already gone: nothing else to do here.
  }
}

/**
 * Removes the groups of emulators whose process is gone. One that was SIGKILLed (with its spawner)
 * can leave environments running in them — frozen ones never notice — so those are killed first;
 * an empty group can then simply be removed.
 */
function removeStale(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = /^lambench-(\d+)$/.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    const dir = join(parent, name);
    try {
      const groups = readdirSync(dir, { withFileTypes: true })
        .filter((child) => child.isDirectory())
        .map((child) => join(dir, child.name));
      for (const group of [dir, ...groups]) for (const p of groupPids(group)) killQuiet(p);
      for (const group of groups) rmdirWhenEmpty(group);
    } catch {
      // Unreadable: leave it.
    }
    rmdirQuiet(dir);
  }
}

function groupPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
  } catch {
    return [];
  }
}

function killQuiet(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** rmdir once the killed processes have left the group (the kernel takes a moment); at most ~1 s. */
function rmdirWhenEmpty(dir: string): void {
  const until = Date.now() + 1_000;
  while (groupPids(dir).length > 0 && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  rmdirQuiet(dir);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
