/**
 * CPU limit without cgroups: while an environment is busy, its process group runs for share × period
 * and is stopped (SIGSTOP) for the rest of each period, then continued (SIGCONT). Only used when the
 * share is below one core: a share of one or more cannot be enforced this way for a mostly
 * single-threaded runtime, so it runs unthrottled. Idle environments are not cycled at all.
 */

/** Period in ms: short enough that a 1 ms handler is not stalled for long, long enough to be cheap. */
export const DUTY_PERIOD_MS = 40;

export class DutyCycle {
  readonly #pgid: number;
  readonly #runMs: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(pgid: number, share: number) {
    this.#pgid = pgid;
    this.#runMs = share >= 1 ? DUTY_PERIOD_MS : Math.max(1, share * DUTY_PERIOD_MS);
  }

  get active(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts cycling (the environment became busy). */
  start(): void {
    if (this.#timer || this.#runMs >= DUTY_PERIOD_MS) return;
    this.#timer = setTimeout(this.#stop, this.#runMs);
  }

  /** Stops cycling and leaves the process running. */
  end(): void {
    if (!this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped) this.#signal('SIGCONT');
    this.#stopped = false;
  }

  readonly #stop = (): void => {
    this.#stopped = true;
    this.#signal('SIGSTOP');
    this.#timer = setTimeout(this.#cont, DUTY_PERIOD_MS - this.#runMs);
  };

  readonly #cont = (): void => {
    this.#stopped = false;
    this.#signal('SIGCONT');
    this.#timer = setTimeout(this.#stop, this.#runMs);
  };

  #signal(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.#pgid, sig);
    } catch {
      // The process group is gone; the environment's exit handler cleans up.
    }
  }
}
