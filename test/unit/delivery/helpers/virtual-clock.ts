import type { Clock } from '../../../../src/core/clock.js';

/** A clock whose time only moves when the test advances it; timers fire in due order. */
export class VirtualClock implements Clock {
  #now = 0;
  #seq = 0;
  #timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  readonly wallEpochMs = Date.UTC(2024, 0, 1);

  now(): number {
    return this.#now;
  }
  wallNow(): number {
    return this.wallEpochMs + this.#now;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Lets promise chains run to completion. */
  async flush(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Advances time by `ms`, firing every timer due on the way and letting promises settle between. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await this.flush();
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at > end) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await this.flush();
    }
    this.#now = end;
    await this.flush();
  }

  /** Runs until no timer is left (bounded so a bug cannot spin forever). */
  async runAll(maxMs = 1e9): Promise<void> {
    await this.flush();
    while (this.#timers.length > 0) {
      const next = this.#earliest();
      if (!next || next.at - this.#now > maxMs) break;
      await this.advance(next.at - this.#now);
    }
  }

  #earliest() {
    let best: { at: number; seq: number; fn: () => void } | undefined;
    for (const t of this.#timers)
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }
}
