import { fineTimers } from './fine-timer.js';

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
  /**
   * Like setTimer, to about a tenth of a millisecond, without a spin: for waits shorter than a
   * timer's resolution, between dense arrivals (src/core/fine-timer.ts).
   */
  setFineTimer?(ms: number, fn: () => void): () => void;
}

/**
 * How far ahead of a due time a precise timer stops sleeping and spins: the machine's own timer
 * overshoot, learnt as it runs. A fixed window wide enough for the worst case (1.5 ms) costs that
 * much CPU before every sparse arrival — 15% of a core at 100 arrivals/s — while this machine's
 * timers usually fire a few tenths of a millisecond after the time asked for. The margin is the
 * 90th percentile of the last 32 overshoots, so most wake-ups land before the due time and the
 * spin lasts only what is left; one that lands after it is late by no more than a plain timer.
 */
export class SpinMargin {
  readonly #recent: number[] = [];
  #next = 0;
  readonly #minMs: number;
  readonly #maxMs: number;
  /** The spin window in ms. Starts at the ceiling: safe until enough overshoots are seen. */
  value: number;

  constructor({ minMs = 0.2, maxMs = 1.5 } = {}) {
    this.#minMs = minMs;
    this.#maxMs = maxMs;
    this.value = maxMs;
  }

  /** One timer's overshoot: how many ms after the time asked for it fired (negative: early). */
  observe(overshootMs: number): void {
    if (this.#recent.length < WINDOW) this.#recent.push(overshootMs);
    else this.#recent[this.#next] = overshootMs;
    this.#next = (this.#next + 1) % WINDOW;
    if (this.#recent.length < WINDOW / 4) return;
    const sorted = [...this.#recent].sort((a, b) => a - b);
    const p90 = sorted[Math.floor(sorted.length * 0.9)] ?? this.#maxMs;
    this.value = Math.min(this.#maxMs, Math.max(this.#minMs, p90));
  }
}

/** Overshoots the spin margin is learnt from. */
const WINDOW = 32;

/** The process's spin margin (exported for the scheduler benchmark's report). */
export const spinMargin = new SpinMargin();

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
  setFineTimer: (ms, fn) => fineTimers().schedule(ms, fn),
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
