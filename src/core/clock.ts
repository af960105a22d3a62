/**
 * The clock is injected wherever timing matters, so schedulers and retry queues can be tested in
 * virtual time. Times are milliseconds as floating-point numbers on a monotonic timeline.
 */
export interface Clock {
  /** Monotonic milliseconds (fractional). Not wall-clock time. */
  now(): number;
  /** Wall-clock epoch milliseconds, for timestamps written into events and results. */
  wallNow(): number;
  /** Runs `fn` once after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /**
   * Like setTimer, but on time to a few tens of µs where a plain timer fires up to ~1.5 ms late
   * (millisecond timer resolution plus waking an idle CPU): the wait ends in a short
   * setImmediate spin. For arrival times, where lateness would count against measured latency.
   */
  setPreciseTimer?(ms: number, fn: () => void): () => void;
}

/** How long before the due time a precise timer stops sleeping and spins. */
const SPIN_MS = 1.5;

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
  setPreciseTimer(ms, fn) {
    const due = performance.now() + ms;
    let cancelled = false;
    let timeout: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    const spin = (): void => {
      if (cancelled) return;
      if (performance.now() >= due) fn();
      else immediate = setImmediate(spin);
    };
    if (ms > SPIN_MS) timeout = setTimeout(spin, ms - SPIN_MS);
    else spin();
    return () => {
      cancelled = true;
      clearTimeout(timeout);
      clearImmediate(immediate);
    };
  },
};
