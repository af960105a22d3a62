/**
 * Bounds how many execution environments initialise at once on this machine, and how many exist.
 *
 * On Lambda every cold start gets its own CPU; here they share the host's cores, and a burst that
 * starts dozens of runtimes at once makes every init slower, which starts yet more environments —
 * a spiral that ends in init timeouts, or in hundreds of processes on two cores. With the gate, an
 * invoke that finds no idle environment either starts one (a lease is free) or waits for whichever
 * comes first: a lease, or an environment of its own function becoming idle. The wait is part of the
 * caller's latency, so it is never hidden.
 */

/** The right to start one environment: its init slot, and its place among the live environments. */
export interface Lease {
  /** The environment finished its init (or failed to): its init slot is free. Idempotent. */
  initDone(): void;
  /** The environment's process is gone: its place is free. Idempotent. */
  exited(): void;
}

/**
 * While the host is saturated, how long an invoke that finds every environment of its function busy
 * waits for one to free before it starts a new one (ms). Lambda would start one at once; here a
 * cold start costs the shared cores a tenth of a second or more of CPU, which slows every call in
 * flight, which makes more calls find no idle environment: a spiral that an environment freeing a
 * millisecond later breaks. Counted apart (`reuses`) and reported as a deviation.
 */
export const SATURATED_GRACE_MS = 1;
/** Timer lateness of the emulator's sweeper from which the host counts as saturated (ms). */
const SATURATED_LAG_MS = 5;
/** How long the host counts as saturated after the sweeper ran late (ms). */
const SATURATED_HOLD_MS = 1000;

export class InitGate {
  /** Invokes that had to wait for an environment, and how long (ms): where this differs from Lambda. */
  readonly waits = { count: 0, totalMs: 0, maxMs: 0 };
  /**
   * Invokes that, in the grace of a saturated host, got an environment that had just freed; and
   * those whose grace ran out, so that they started one (or waited on) a grace later.
   */
  readonly reuses = { count: 0, totalMs: 0, graceExpired: 0 };
  #initialising = 0;
  #saturatedUntil = Number.NEGATIVE_INFINITY;
  readonly #live = new Set<object>();
  readonly #waiters: Array<(lease: Lease) => void> = [];

  /**
   * @param concurrentInits environments initialising at once (at least 1)
   * @param maxEnvironments environments alive at once, idle or busy, across every function
   */
  constructor(
    readonly concurrentInits: number,
    readonly maxEnvironments: number = Number.POSITIVE_INFINITY,
    /**
     * Stops the least recently used idle environment of any function, if there is one (its exit
     * then frees a place). Without it, a function could wait for places held by idle environments
     * of another — or of an earlier sweep point's version.
     */
    readonly reclaimIdle: () => boolean = () => false,
    /** The grace of a saturated host (ms); 0 starts an environment at once, as Lambda does. */
    readonly saturatedGraceMs: number = SATURATED_GRACE_MS,
  ) {}

  /** A lease now, or undefined when inits or environments are at their bound. */
  tryAcquire(): Lease | undefined {
    if (this.#canStart()) return this.#lease();
    if (this.#live.size >= this.maxEnvironments) this.reclaimIdle();
    return undefined;
  }

  /**
   * How long an invoke that finds every environment busy should wait for one to free, at `now`
   * (performance.now()): the grace while the host is saturated — an environment initialising, or
   * the sweeper late within the last second —, else 0.
   */
  graceMs(now: number): number {
    return this.#initialising > 0 || now < this.#saturatedUntil ? this.saturatedGraceMs : 0;
  }

  /** The emulator's periodic sweeper fired `lateMs` after its time, at `now` (performance.now()). */
  noteTimerLag(lateMs: number, now: number): void {
    if (lateMs > SATURATED_LAG_MS) this.#saturatedUntil = now + SATURATED_HOLD_MS;
  }

  /** Records an invoke that got a just-freed environment within the grace, after `ms`. */
  recordReuse(ms: number): void {
    this.reuses.count++;
    this.reuses.totalMs += ms;
  }

  /** Records an invoke whose grace ran out with every environment still busy. */
  recordGraceExpired(): void {
    this.reuses.graceExpired++;
  }

  /** Records one invoke's wait for an environment (a lease or an idle one), in ms. */
  recordWait(ms: number): void {
    this.waits.count++;
    this.waits.totalMs += ms;
    if (ms > this.waits.maxMs) this.waits.maxMs = ms;
  }

  /** Calls `granted` with a lease as soon as one is free; the returned function withdraws the wait. */
  wait(granted: (lease: Lease) => void): () => void {
    this.#waiters.push(granted);
    return () => {
      const at = this.#waiters.indexOf(granted);
      if (at >= 0) this.#waiters.splice(at, 1);
    };
  }

  #canStart(): boolean {
    return this.#initialising < Math.max(1, this.concurrentInits) && this.#live.size < this.maxEnvironments;
  }

  #lease(): Lease {
    const token = {};
    let initialising = true;
    this.#initialising += 1;
    this.#live.add(token);
    const endInit = (): void => {
      if (!initialising) return;
      initialising = false;
      this.#initialising -= 1;
    };
    return {
      initDone: () => {
        endInit();
        this.#wake();
      },
      exited: () => {
        endInit();
        this.#live.delete(token);
        this.#wake();
      },
    };
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.#canStart()) this.#waiters.shift()?.(this.#lease());
  }
}
