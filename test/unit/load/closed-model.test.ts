import { describe, expect, it } from 'vitest';
import { runClosedModel } from '../../../src/load/closed-model.js';
import { FakeClock } from './fake-clock.js';

/** A call that takes `ms` of virtual time. */
const takes = (clock: FakeClock, ms: number) => () =>
  new Promise<void>((resolve) => {
    clock.setTimer(ms, resolve);
  });

describe('runClosedModel', () => {
  it('loops each caller until the duration ends, intended start = when it became ready', async () => {
    const clock = new FakeClock();
    const calls: Array<{ index: number; intendedMs: number }> = [];
    const call = takes(clock, 50);
    const model = runClosedModel({
      concurrency: 2,
      durationMs: 1000,
      thinkTimeMs: 100,
      clock,
      onArrival: (index, intendedMs) => {
        calls.push({ index, intendedMs });
        return call();
      },
    });
    await clock.advance(2000);
    const stats = await model.done;
    // Each caller: call 50 ms + think 100 ms → ready at 0, 150, …, 900: 7 calls each.
    expect(stats.started).toBe(14);
    expect(calls.map((c) => c.intendedMs)).toEqual([
      0, 0, 150, 150, 300, 300, 450, 450, 600, 600, 750, 750, 900, 900,
    ]);
    expect(new Set(calls.map((c) => c.index)).size).toBe(14);
  });

  it('slows down with a slow target (the closed model is coordinated by design)', async () => {
    const clock = new FakeClock();
    const call = takes(clock, 400);
    const model = runClosedModel({
      concurrency: 1,
      durationMs: 1000,
      thinkTimeMs: 0,
      clock,
      onArrival: call,
    });
    await clock.advance(2000);
    expect((await model.done).started).toBe(3); // at 0, 400, 800
  });

  it('stop() wakes thinking callers and ends the loop', async () => {
    const clock = new FakeClock();
    const call = takes(clock, 10);
    const model = runClosedModel({
      concurrency: 3,
      durationMs: 60_000,
      thinkTimeMs: 1000,
      clock,
      onArrival: call,
    });
    await clock.advance(20); // all three are thinking
    model.stop();
    const stats = await model.done;
    expect(stats).toMatchObject({ started: 3, stopped: true });
    expect(clock.pendingTimers).toBe(0);
  });

  it('counts a failing callback instead of losing the caller', async () => {
    const clock = new FakeClock();
    let n = 0;
    const model = runClosedModel({
      concurrency: 1,
      durationMs: 300,
      thinkTimeMs: 100,
      clock,
      onArrival: async () => {
        n++;
        if (n === 1) throw new Error('boom');
      },
    });
    await clock.advance(1000);
    const stats = await model.done;
    expect(stats).toMatchObject({ started: 3, callbackErrors: 1, firstCallbackError: 'boom' });
  });
});
