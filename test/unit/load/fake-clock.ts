/** A Clock in virtual time: timers fire only when the test advances it. */
import type { Clock } from '../../../src/core/clock.js';

interface Timer {
  dueMs: number;
  seq: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  #now = 0;
  #seq = 0;
  #timers: Timer[] = [];
  /** How many timers were ever set (to show the scheduler sleeps rather than spins). */
  timersSet = 0;

  constructor(private readonly epochMs = 1_700_000_000_000) {}

  now(): number {
    return this.#now;
  }

  wallNow(): number {
    return this.epochMs + this.#now;
  }

  setTimer(ms: number, fn: () => void): () => void {
    this.timersSet++;
    const timer: Timer = { dueMs: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order and letting promises settle between. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flush();
    for (;;) {
      const next = this.#timers
        .filter((t) => t.dueMs <= target)
        .sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.dueMs);
      next.fn();
      await flush();
    }
    this.#now = target;
    await flush();
  }

  /** Jumps time without firing timers (a harness stall: the event loop was blocked). */
  stall(ms: number): void {
    this.#now += ms;
  }
}

/** Lets every queued promise callback run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A promise the test settles by hand, with the virtual time it was created. */
export function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve: () => void = () => {};
  let reject: (e: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
