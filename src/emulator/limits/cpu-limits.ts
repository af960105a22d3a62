/**
 * Chooses the CPU limiter in force (cgroup v2, cgroup v1, duty cycle, off) and applies it to each
 * execution environment. `auto` takes the best the machine allows; a forced limiter the machine
 * cannot provide is a clear input error rather than a silent downgrade.
 */
import { InputError } from '../../core/errors.js';
import type { CpuLimiter } from '../types.js';
import { type CgroupTree, probeCgroup } from './cgroup.js';
import { DutyCycle } from './duty-cycle.js';

/**
 * What an environment holds for its CPU limit. The limit starts when init ends: Lambda runs the init
 * phase with more CPU than the memory setting buys (the "init boost"), so a 128 MB cold start is not
 * 14× slower than the process start itself.
 */
export interface CpuControl {
  /** Init is over: the memory-proportional limit applies from now on. */
  enforce(): void;
  /** Called when the environment starts or stops running an invoke. */
  busy(on: boolean): void;
  /** Releases the limit (after the process exited). */
  dispose(): void;
}

const NONE: CpuControl = { enforce() {}, busy() {}, dispose() {} };

export class CpuLimits {
  readonly mechanism: CpuLimiter;
  readonly #tree: CgroupTree | undefined;
  #next = 0;

  private constructor(mechanism: CpuLimiter, tree?: CgroupTree) {
    this.mechanism = mechanism;
    this.#tree = tree;
  }

  /** `requested`, else the LAMBENCH_CPU_LIMITER environment variable, else `auto`. */
  static create(requested: CpuLimiter | 'auto' = limiterFromEnvironment()): CpuLimits {
    if (requested === 'off' || requested === 'duty-cycle') return new CpuLimits(requested);
    const order: Array<'cgroup-v2' | 'cgroup-v1'> =
      requested === 'auto' ? ['cgroup-v2', 'cgroup-v1'] : [requested];
    for (const version of order) {
      const tree = probeCgroup(version);
      if (tree) return new CpuLimits(version, tree);
    }
    if (requested !== 'auto') {
      throw new InputError(
        'CPU_LIMITER_UNAVAILABLE',
        `cpuLimiter '${requested}' is not available on this machine (no writable ${requested} cpu controller); use auto, duty-cycle or off`,
      );
    }
    return new CpuLimits('duty-cycle');
  }

  /**
   * A new, still empty cgroup for the next environment (cgroup limiters only). The spawner moves
   * the process into it: on cgroup v1 that write waits for an RCU grace period, 8-20 ms here, which
   * must not block the emulator's event loop.
   */
  group(): string | undefined {
    return this.#tree?.attach(`env-${this.#next++}`, 0);
  }

  /** Removes a group made by group() that never got a process. */
  release(group: string): void {
    this.#tree?.remove(group);
  }

  /**
   * Applies the limit to a freshly spawned environment (its own process group `pid`), already in
   * `group` when one was made for it.
   */
  attach(pid: number, share: number, group?: string): CpuControl {
    if (this.#tree) {
      const tree = this.#tree;
      const path = group ?? tree.attach(`env-${this.#next++}`, pid);
      const enforce = (): void => {
        try {
          tree.limit(path, share);
        } catch {
          // The group vanished with its process; the exit handler cleans up.
        }
      };
      return { enforce, busy() {}, dispose: () => tree.remove(path) };
    }
    if (this.mechanism === 'duty-cycle') {
      const cycle = new DutyCycle(pid, share);
      let enforced = false;
      return {
        enforce: () => {
          enforced = true;
        },
        busy: (on) => (on && enforced ? cycle.start() : cycle.end()),
        dispose: () => cycle.end(),
      };
    }
    return NONE;
  }

  /** The cgroup folder of this emulator process, when a cgroup limiter is in force. */
  get cgroupRoot(): string | undefined {
    return this.#tree?.root;
  }

  close(): void {
    this.#tree?.close();
  }
}

const LIMITERS = ['auto', 'cgroup-v2', 'cgroup-v1', 'duty-cycle', 'off'] as const;

/**
 * LAMBENCH_CPU_LIMITER picks the limiter for every command (run, serve, invoke), e.g. duty-cycle
 * to see how a machine without writable cgroups behaves.
 */
function limiterFromEnvironment(): CpuLimiter | 'auto' {
  const value = process.env.LAMBENCH_CPU_LIMITER;
  if (value === undefined || value === '') return 'auto';
  const known = LIMITERS.find((l) => l === value);
  if (known === undefined) {
    throw new InputError(
      'CPU_LIMITER',
      `LAMBENCH_CPU_LIMITER: '${value}' is not a CPU limiter; expected one of ${LIMITERS.join(', ')}`,
    );
  }
  return known;
}
