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

export class InitGate {
  /** Invokes that had to wait for an environment, and how long (ms): where this differs from Lambda. */
  readonly waits = { count: 0, totalMs: 0, maxMs: 0 };
  #initialising = 0;
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
  ) {}

  /** A lease now, or undefined when inits or environments are at their bound. */
  tryAcquire(): Lease | undefined {
    if (this.#canStart()) return this.#lease();
    if (this.#live.size >= this.maxEnvironments) this.reclaimIdle();
    return undefined;
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
