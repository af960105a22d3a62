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
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};
