/**
 * The execution environments of one function version: warm reuse (most recently used first, so the
 * warmest process serves), cold starts on demand, lazy freezing and reaping of idle environments,
 * and provisioned concurrency (environments initialised ahead of traffic and never reaped).
 */
import { performance } from 'node:perf_hooks';
import { Environment, type EnvironmentOptions, type EnvironmentResult, InitFailed } from './environment.js';
import type { InitGate, Lease } from './init-gate.js';
import type { TailBuffer } from './logs.js';
import type { RuntimeEvent } from './runtime-api.js';

/** How often an invoke is retried on a fresh environment when its environment died before delivery. */
const MAX_DELIVERY_ATTEMPTS = 3;

export type PoolOptions = Omit<EnvironmentOptions, 'initType' | 'onExit' | 'onStart'> & {
  /** Shared by every pool of the emulator: bounds concurrent inits on this machine. */
  initGate: InitGate;
};

/** What an invoke gets when it asks for an environment: a warm one, or a permit to start one. */
type Slot = { env: Environment } | { lease: Lease };

export class Pool {
  readonly #opts: PoolOptions;
  readonly #idle: Environment[] = [];
  /** Invokes waiting for an environment of this pool (all init permits were taken). */
  readonly #waiting: Array<(slot: Slot) => void> = [];
  readonly #all = new Set<Environment>();
  /** Environments still initialising (not yet in #all). */
  readonly #starting = new Set<Environment>();
  #retired = false;
  /** close() ran: nothing new starts, and whatever comes up is stopped. */
  #closed = false;

  constructor(opts: PoolOptions) {
    this.#opts = opts;
  }

  get size(): number {
    return this.#all.size;
  }

  /** Every live environment (for sampling and tests). */
  environments(): Environment[] {
    return [...this.#all];
  }

  /** Runs an event on a warm environment, or a cold one; init failures become the invoke's error. */
  async run(event: RuntimeEvent, tail?: TailBuffer): Promise<EnvironmentResult> {
    for (let attempt = 1; ; attempt++) {
      const slot = await this.#slot();
      let env: Environment;
      if ('env' in slot) env = slot.env;
      else if (this.#closed) {
        // An invoke that waited for a place while the emulator closed: start nothing that would
        // outlive the close (the caller has stopped waiting for it).
        slot.lease.initDone();
        slot.lease.exited();
        return closedResult(event.requestId, this.#opts.config.memorySize);
      } else {
        try {
          env = await this.#spawn('on-demand', event.requestId, tail, slot.lease);
        } catch (err) {
          // A process that never started has no exit to report.
          slot.lease.exited();
          if (err instanceof InitFailed)
            return initFailure(event.requestId, this.#opts.config.memorySize, err);
          throw err;
        } finally {
          slot.lease.initDone();
        }
      }
      const result = await env.invoke(event, tail);
      if (result.retry && attempt < MAX_DELIVERY_ATTEMPTS) continue;
      this.#release(env);
      return result;
    }
  }

  /**
   * A warm environment now, else a permit to start one, else the first of the two to come. While
   * the host is saturated, an environment that frees within the gate's grace is preferred over a
   * new one (a deviation from Lambda, counted in the gate's `reuses`).
   */
  #slot(): Slot | Promise<Slot> {
    const env = this.#takeIdle();
    if (env) return { env };
    const gate = this.#opts.initGate;
    const now = performance.now();
    const graceMs = gate.graceMs(now);
    if (graceMs > 0) return this.#await(now, graceMs);
    const lease = gate.tryAcquire();
    if (lease) return { lease };
    return this.#await(now, undefined);
  }

  /**
   * Waits for an environment of this pool to become idle and, from the start or after `graceMs`,
   * for a permit to start one, whichever comes first.
   */
  #await(since: number, graceMs: number | undefined): Promise<Slot> {
    const gate = this.#opts.initGate;
    return new Promise<Slot>((resolve) => {
      let withdraw = (): void => {};
      let grace: NodeJS.Timeout | undefined;
      const settle = (slot: Slot): void => {
        clearTimeout(grace);
        withdraw();
        const at = this.#waiting.indexOf(take);
        if (at >= 0) this.#waiting.splice(at, 1);
        resolve(slot);
      };
      const take = (slot: Slot): void => {
        const waitedMs = performance.now() - since;
        if (grace !== undefined && 'env' in slot) gate.recordReuse(waitedMs);
        else gate.recordWait(waitedMs);
        settle(slot);
      };
      const askForLease = (): void => {
        withdraw = gate.wait((lease) => take({ lease }));
      };
      this.#waiting.push(take);
      if (graceMs === undefined) askForLease();
      else
        grace = setTimeout(() => {
          grace = undefined;
          gate.recordGraceExpired();
          const lease = gate.tryAcquire();
          // A cold start one grace late: counted as such, not as a wait for the init bound.
          if (lease) settle({ lease });
          else askForLease();
        }, graceMs);
    });
  }

  #takeIdle(): Environment | undefined {
    for (let env = this.#idle.pop(); env; env = this.#idle.pop()) {
      if (env.state === 'idle') return env;
    }
    return undefined;
  }

  async #spawn(
    initType: 'on-demand' | 'provisioned-concurrency',
    requestId?: string,
    tail?: TailBuffer,
    lease?: Lease,
  ) {
    const onExit = (e: Environment): void => {
      this.#forget(e);
      lease?.exited();
    };
    let started: Environment | undefined;
    const onStart = (e: Environment): void => {
      started = e;
      this.#starting.add(e);
    };
    let env: Environment;
    try {
      env = await Environment.start({ ...this.#opts, initType, onExit, onStart }, requestId, tail);
    } finally {
      if (started) this.#starting.delete(started);
    }
    this.#all.add(env);
    // Closed while it initialised: close() stopped it, or could not see it then.
    if (this.#closed) void env.close();
    return env;
  }

  #release(env: Environment): void {
    if (env.state !== 'idle') return;
    if (this.#retired) void env.close();
    else {
      const waiter = this.#waiting.shift();
      if (waiter) waiter({ env });
      else this.#idle.push(env);
    }
  }

  #forget(env: Environment): void {
    this.#all.delete(env);
    const at = this.#idle.indexOf(env);
    if (at >= 0) this.#idle.splice(at, 1);
  }

  /** Brings the number of provisioned environments to `count`, initialising new ones in parallel. */
  async provision(count: number): Promise<void> {
    const current = [...this.#all].filter((e) => e.provisioned);
    const extra = current.slice(count);
    await Promise.all(extra.map((e) => e.close()));
    const missing = Math.max(0, count - current.length);
    const started = await Promise.allSettled(
      Array.from({ length: missing }, () => this.#spawn('provisioned-concurrency')),
    );
    for (const s of started) if (s.status === 'fulfilled') this.#idle.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Periodic work: freeze environments idle past freezeAfterMs, stop those idle past idleTimeoutMs. */
  sweep(freezeAfterMs: number, idleTimeoutMs: number): void {
    const now = performance.now();
    for (const env of this.#all) {
      if (env.state === 'busy' || env.state === 'init') {
        env.sample();
        continue;
      }
      if (env.state !== 'idle') continue;
      const idle = now - env.idleSince;
      if (!env.provisioned && idle >= idleTimeoutMs) {
        this.#forget(env);
        void env.close();
      } else if (idle >= freezeAfterMs) {
        env.freeze();
      }
    }
  }

  /** When the least recently used idle environment became idle (for reclaiming places), if any. */
  oldestIdleSince(): number | undefined {
    let oldest: number | undefined;
    for (const env of this.#idle)
      if (env.state === 'idle' && !env.provisioned) oldest = Math.min(oldest ?? env.idleSince, env.idleSince);
    return oldest;
  }

  /** Stops the least recently used idle on-demand environment; false when there is none. */
  evictOldestIdle(): boolean {
    const since = this.oldestIdleSince();
    const env = this.#idle.find((e) => e.state === 'idle' && !e.provisioned && e.idleSince === since);
    if (!env) return false;
    this.#forget(env);
    void env.close();
    return true;
  }

  /** No new work: idle environments stop now, busy ones when their invoke ends. */
  retire(): Promise<void> {
    this.#retired = true;
    const idle = this.#idle.splice(0);
    return Promise.all(idle.map((e) => e.close())).then(() => undefined);
  }

  /** Stops every environment and waits for the processes to exit. */
  async close(): Promise<void> {
    this.#retired = true;
    this.#closed = true;
    this.#idle.length = 0;
    await Promise.all([...this.#all, ...this.#starting].map((e) => e.close()));
  }
}

/** What an invoke gets when the emulator closed before it found an environment. */
function closedResult(requestId: string, memorySizeMB: number): EnvironmentResult {
  return {
    ok: false,
    payload: Buffer.from(JSON.stringify({ errorMessage: 'the emulator closed before the invoke started' })),
    errorType: 'Runtime.ExitError',
    cold: false,
    report: { requestId, durationMs: 0, billedDurationMs: 0, memorySizeMB, maxMemoryUsedMB: 0 },
  };
}

function initFailure(requestId: string, memorySizeMB: number, err: InitFailed): EnvironmentResult {
  return {
    ok: false,
    payload: err.failure.payload,
    errorType: err.failure.errorType,
    cold: true,
    report: {
      requestId,
      durationMs: 0,
      billedDurationMs: Math.max(1, Math.ceil(err.initDurationMs)),
      memorySizeMB,
      maxMemoryUsedMB: 0,
      initDurationMs: err.initDurationMs,
    },
  };
}
