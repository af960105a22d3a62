/**
 * Fine timers (a worker thread sleeping on a futex): each fires once, never before its time, in
 * the order of their due times; a cancelled one never fires; a timer set from a callback works.
 * Real threads and the real clock, so only order and never-early are asserted, not lateness
 * (that is measured in bench/, not in tests).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FineTimers } from '../../src/core/fine-timer.js';

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

let timers: FineTimers | undefined;
afterEach(async () => {
  await timers?.close();
  timers = undefined;
});

/**
 * Sets named timers on `t`, each recording how early it fired (≤ 0: not early); `fired()` waits
 * 60 ms, past every timer these tests set, and returns what fired, in order.
 */
function recorder(t: FineTimers) {
  const fired: Array<{ name: string; early: number }> = [];
  return {
    set(name: string, ms: number): () => void {
      const due = nowMs() + ms;
      return t.schedule(ms, () => fired.push({ name, early: due - nowMs() }));
    },
    async fired() {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return fired;
    },
  };
}

describe('FineTimers', () => {
  it('fires each timer once, in due order, never early; a cancelled one never', async () => {
    timers = new FineTimers();
    // The worker thread takes milliseconds to start: let it, so the timers below take its path.
    await timers.ready;
    const { set, fired } = recorder(timers);
    set('c', 9);
    set('a', 0.3);
    const cancel = set('never', 4);
    set('b', 2.5);
    cancel();
    const got = await fired();
    expect(got.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    // Never before its time (the worker and this thread read the same monotonic clock).
    for (const f of got) expect(f.early).toBeLessThanOrEqual(0);
  });

  it('serves timers set before the worker runs on Node timers: in order, never early, none lost', async () => {
    timers = new FineTimers();
    const { set, fired } = recorder(timers);
    // Set at once, before the worker thread can have started (it takes milliseconds): with the
    // worker left to serve them, the first would fire only once it runs.
    set('a', 0.5);
    set('b', 2.5);
    set('never', 3)();
    set('c', 6);
    const got = await fired();
    expect(got.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    for (const f of got) expect(f.early).toBeLessThanOrEqual(0);
  });

  it('takes a new timer from inside a callback, as a scheduler re-arms itself', async () => {
    timers = new FineTimers();
    await timers.ready;
    const times: number[] = [];
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        times.push(nowMs());
        if (times.length < 20) timers?.schedule(0.5, tick);
        else resolve();
      };
      timers?.schedule(0.5, tick);
    });
    expect(times).toHaveLength(20);
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(0.5);
  });

  it('arms once after the callbacks: a timer a callback sets ahead of pending ones fires first', async () => {
    timers = new FineTimers();
    await timers.ready;
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      timers?.schedule(40, () => {
        order.push('late');
        resolve();
      });
      timers?.schedule(1, () => {
        order.push('first');
        const cancel = timers?.schedule(30, () => order.push('cancelled'));
        timers?.schedule(2, () => order.push('from callback'));
        cancel?.();
      });
    });
    expect(order).toEqual(['first', 'from callback', 'late']);
  });
});
