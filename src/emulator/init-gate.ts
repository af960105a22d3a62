/**
 * Bounds how many execution environments initialise at once on this machine. On Lambda every
 * cold start gets its own CPU; here they share the host's cores, and a burst that starts dozens of
 * runtimes at once makes every init slower, which starts yet more environments — a spiral that
 * ends in init timeouts. With the gate, an invoke that finds no idle environment either starts one
 * (a permit is free) or waits for whichever comes first: a permit, or an environment of its own
 * function becoming idle. The wait is part of the caller's latency, so it is never hidden.
 */
export type Release = () => void;

export class InitGate {
  #free: number;
  readonly #waiters: Array<(release: Release) => void> = [];

  constructor(readonly size: number) {
    this.#free = Math.max(1, size);
  }

  /** A permit now, or undefined when all are taken. */
  tryAcquire(): Release | undefined {
    if (this.#free === 0) return undefined;
    this.#free -= 1;
    return this.#permit();
  }

  /** Calls `granted` with a permit as soon as one is free; the returned function withdraws the wait. */
  wait(granted: (release: Release) => void): () => void {
    this.#waiters.push(granted);
    return () => {
      const at = this.#waiters.indexOf(granted);
      if (at >= 0) this.#waiters.splice(at, 1);
    };
  }

  #permit(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next(this.#permit());
      else this.#free += 1;
    };
  }
}
