/**
 * The open-model scheduler: arrivals start at their planned times whatever the target is doing,
 * so a slow function cannot slow the load down (no coordinated omission).
 */
import type { OpenModelOptions, OpenModelStats, RunningModel } from './types.js';

/** An arrival fired more than this many ms after its intended time is late (schedule lag). */
export const LATE_TOLERANCE_MS = 10;

/**
 * Starts arrivals at `clock.now()` + each offset. When the harness falls behind, every arrival
 * whose time has come fires at once with its ORIGINAL intended time — never rescheduled — so
 * the lateness shows up in the latency measured from it. Past `maxInFlight` unsettled arrivals,
 * an arrival is not started and `onDropped` is called (dropped by the harness, never skipped).
 * Between due times it sleeps on one timer: no busy spin.
 */
/** Gaps from which the next arrival is timed precisely (at most one spin of ≤ 1.5 ms per 10 ms). */
const PRECISE_FROM_MS = 10;

export function runOpenModel(options: OpenModelOptions): RunningModel<OpenModelStats> {
  const { clock, maxInFlight, onArrival, onDropped, onLate } = options;
  const iterator = options.offsets[Symbol.iterator]();
  const startMs = clock.now();
  const stats: OpenModelStats = {
    scheduled: 0,
    started: 0,
    dropped: 0,
    callbackErrors: 0,
    maxLagMs: 0,
    meanLagMs: 0,
    lateOver10Ms: 0,
    stopped: false,
  };
  let lagSumMs = 0;
  let nextIndex = 0;
  let inFlight = 0;
  let exhausted = false;
  let cancelTimer: (() => void) | undefined;
  let resolveDone: (stats: OpenModelStats) => void = () => {};
  const done = new Promise<OpenModelStats>((resolve) => {
    resolveDone = resolve;
  });

  const current = (): OpenModelStats => {
    stats.meanLagMs = stats.scheduled > 0 ? lagSumMs / stats.scheduled : 0;
    return stats;
  };
  const finishIfIdle = (): void => {
    if ((exhausted || stats.stopped) && inFlight === 0) resolveDone(current());
  };

  const settle = (): void => {
    inFlight--;
    finishIfIdle();
  };

  const callbackFailed = (error: unknown): void => {
    stats.callbackErrors++;
    stats.firstCallbackError ??= error instanceof Error ? error.message : String(error);
    settle();
  };

  const fire = (index: number, intendedMs: number, nowMs: number): void => {
    const lag = Math.max(0, nowMs - intendedMs);
    stats.scheduled++;
    lagSumMs += lag;
    if (lag > stats.maxLagMs) stats.maxLagMs = lag;
    if (lag > LATE_TOLERANCE_MS) {
      stats.lateOver10Ms++;
      onLate?.(intendedMs, lag);
    }
    if (inFlight >= maxInFlight) {
      stats.dropped++;
      onDropped(index, intendedMs);
      return;
    }
    inFlight++;
    stats.started++;
    try {
      onArrival(index, intendedMs).then(settle, callbackFailed);
    } catch (error) {
      callbackFailed(error);
    }
  };

  let next = iterator.next();
  /** The last fired arrival's offset (the run start before the first). */
  let previousOffset = 0;
  const tick = (): void => {
    cancelTimer = undefined;
    const nowMs = clock.now();
    while (!stats.stopped && !next.done && startMs + next.value <= nowMs) {
      fire(nextIndex++, startMs + next.value, nowMs);
      previousOffset = next.value;
      next = iterator.next();
    }
    if (stats.stopped) return;
    if (next.done) {
      exhausted = true;
      finishIfIdle();
      return;
    }
    const waitMs = startMs + next.value - nowMs;
    // Sparse arrivals are worth a short spin to start on time. Dense ones would spin all the
    // time, costing the functions CPU: they wait on the fine timer (a sleeping worker thread),
    // where a plain timer's millisecond resolution would start them half a millisecond late on
    // average. Sparse by the planned gap, not the wait left: an arrival fired a little late leaves
    // a wait just under the gap, which would otherwise drop a steady 100/s to the dense path.
    const gapMs = next.value - previousOffset;
    cancelTimer =
      gapMs >= PRECISE_FROM_MS && clock.setPreciseTimer
        ? clock.setPreciseTimer(waitMs, tick)
        : clock.setFineTimer
          ? clock.setFineTimer(waitMs, tick)
          : clock.setTimer(waitMs, tick);
  };

  tick();
  return {
    done,
    stats: () => ({ ...current() }),
    stop() {
      if (stats.stopped || exhausted) return;
      stats.stopped = true;
      cancelTimer?.();
      cancelTimer = undefined;
      finishIfIdle();
    },
  };
}
