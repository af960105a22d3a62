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
   * setImmediate spin, as long as this machine's timers need (SpinMargin). For arrival times,
   * where lateness would count against measured latency.
   */
  setPreciseTimer?(ms: number, fn: () => void): () => void;
}

/**
 * How far ahead of a due time a precise timer stops sleeping and spins: the machine's own timer
 * overshoot, learnt as it runs. A fixed window wide enough for the worst case (1.5 ms) costs that
 * much CPU before every sparse arrival — 15% of a core at 100 arrivals/s — while this machine's
 * timers usually fire a few tenths of a millisecond after the time asked for. Tracking a high
 * quantile of the overshoot spins just long enough for most wake-ups to land before the due time;
 * one that lands after it is late by no more than a plain timer would have been.
 */
export class SpinMargin {
  /** The spin window in ms. Starts at the ceiling: safe until the first overshoots are seen. */
  value: number;
  readonly #quantile: number;
  readonly #stepMs: number;
  readonly #minMs: number;
  readonly #maxMs: number;

  constructor({ quantile = 0.9, stepMs = 0.1, minMs = 0.2, maxMs = 1.5 } = {}) {
    this.#quantile = quantile;
    this.#stepMs = stepMs;
    this.#minMs = minMs;
    this.#maxMs = maxMs;
    this.value = maxMs;
  }

  /**
   * One timer's overshoot (ms it fired after the time asked for). Stochastic quantile tracking:
   * up by q·step when the overshoot exceeds the margin, down by (1 − q)·step otherwise, so the
   * margin settles where a fraction q of overshoots fall below it; clamped to [min, max].
   */
  observe(overshootMs: number): void {
    const step =
      overshootMs > this.value ? this.#quantile * this.#stepMs : -(1 - this.#quantile) * this.#stepMs;
    this.value = Math.min(this.#maxMs, Math.max(this.#minMs, this.value + step));
  }
}

/** The process's spin margin (exported for the scheduler benchmark's report). */
export const spinMargin = new SpinMargin();

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
    const margin = spinMargin.value;
    if (ms > margin) {
      const wakeAt = due - margin;
      timeout = setTimeout(() => {
        spinMargin.observe(performance.now() - wakeAt);
        spin();
      }, ms - margin);
    } else spin();
    return () => {
      cancelled = true;
      clearTimeout(timeout);
      clearImmediate(immediate);
    };
  },
};
