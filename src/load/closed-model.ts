/**
 * The closed-model scheduler: N virtual callers, each calling, waiting for the answer, thinking,
 * and calling again until the duration ends. A slow target slows the load down — that is the
 * model (coordinated by design), so results from it say so.
 */
import type { ClosedModelOptions, ClosedModelStats, RunningModel } from './types.js';

interface Sleeper {
  cancel: () => void;
  wake: () => void;
}

/**
 * Runs `concurrency` callers for `durationMs`. Each call's intended start is when its caller
 * became ready (end of the previous call + think time), not when a late timer fired.
 * `onArrival` must return a promise that settles asynchronously.
 */
export function runClosedModel(options: ClosedModelOptions): RunningModel<ClosedModelStats> {
  const { clock, concurrency, thinkTimeMs, onArrival } = options;
  const endMs = clock.now() + options.durationMs;
  const stats: ClosedModelStats = { started: 0, callbackErrors: 0, stopped: false };
  const sleepers = new Set<Sleeper>();
  let nextIndex = 0;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const sleeper: Sleeper = {
        cancel: () => {},
        wake: () => {
          sleepers.delete(sleeper);
          resolve();
        },
      };
      sleepers.add(sleeper);
      sleeper.cancel = clock.setTimer(ms, sleeper.wake);
    });

  const caller = async (): Promise<void> => {
    let readyAt = clock.now();
    while (!stats.stopped && readyAt < endMs && clock.now() < endMs) {
      stats.started++;
      try {
        await onArrival(nextIndex++, readyAt);
      } catch (error) {
        stats.callbackErrors++;
        stats.firstCallbackError ??= error instanceof Error ? error.message : String(error);
      }
      readyAt = clock.now() + thinkTimeMs;
      if (thinkTimeMs > 0 && readyAt < endMs && !stats.stopped) await sleep(thinkTimeMs);
    }
  };

  const callers = Array.from({ length: concurrency }, () => caller());
  return {
    done: Promise.all(callers).then(() => stats),
    stats: () => ({ ...stats }),
    stop() {
      stats.stopped = true;
      for (const sleeper of [...sleepers]) {
        sleeper.cancel();
        sleeper.wake();
      }
    },
  };
}
