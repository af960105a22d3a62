import { describe, expect, it } from 'vitest';
import { arrivalOffsets } from '../../../src/load/arrivals.js';
import { runOpenModel } from '../../../src/load/open-model.js';
import { deferred, FakeClock, flush } from './fake-clock.js';

const constant = (rate: number, durationMs: number) =>
  arrivalOffsets([{ kind: 'constant', durationMs, rate }], { distribution: 'uniform', seed: 1 });

describe('runOpenModel', () => {
  it('fires each arrival at its intended time and sleeps on a timer between them', async () => {
    const clock = new FakeClock();
    clock.stall(1000); // the run starts at monotonic 1000 ms
    const fired: Array<{ index: number; intendedMs: number; nowMs: number }> = [];
    const model = runOpenModel({
      offsets: constant(10, 1000),
      clock,
      maxInFlight: 100,
      onArrival: async (index, intendedMs) => {
        fired.push({ index, intendedMs, nowMs: clock.now() });
      },
      onDropped: () => {
        throw new Error('nothing should drop');
      },
    });
    await clock.advance(2000);
    const stats = await model.done;
    expect(fired.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fired.map((f) => f.intendedMs)).toEqual([
      1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900,
    ]);
    expect(fired.every((f) => f.nowMs === f.intendedMs)).toBe(true);
    expect(clock.timersSet).toBe(9); // one timer per gap, no polling
    expect(stats).toMatchObject({ scheduled: 10, started: 10, dropped: 0, maxLagMs: 0, stopped: false });
  });

  it('fires late arrivals at once with their original intended time after a stall', async () => {
    const clock = new FakeClock();
    const fired: Array<{ index: number; intendedMs: number; nowMs: number }> = [];
    const model = runOpenModel({
      offsets: constant(100, 1000), // every 10 ms
      clock,
      maxInFlight: 1000,
      onArrival: async (index, intendedMs) => {
        fired.push({ index, intendedMs, nowMs: clock.now() });
      },
      onDropped: () => {},
    });
    await clock.advance(0);
    expect(fired).toHaveLength(1);
    clock.stall(95); // the event loop was blocked for 95 ms
    await clock.advance(0);
    // Arrivals 1…9 were due at 10…90 ms: all fired now, none rescheduled, none skipped.
    expect(fired.slice(1).map((f) => f.intendedMs)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(fired.slice(1).every((f) => f.nowMs === 95)).toBe(true);
    await clock.advance(1000);
    const stats = await model.done;
    expect(stats.started).toBe(100);
    expect(stats.maxLagMs).toBe(85);
    expect(stats.lateOver10Ms).toBe(8); // lags 85, 75, …, 15
    expect(fired[10]?.intendedMs).toBe(100);
  });

  it('drops arrivals past maxInFlight through onDropped, with their indexes and times', async () => {
    const clock = new FakeClock();
    const pending = Array.from({ length: 10 }, () => deferred());
    const started: number[] = [];
    const dropped: Array<[number, number]> = [];
    const model = runOpenModel({
      offsets: constant(10, 1000),
      clock,
      maxInFlight: 3,
      onArrival: (index) => {
        started.push(index);
        return pending[index]?.promise ?? Promise.resolve();
      },
      onDropped: (index, intendedMs) => dropped.push([index, intendedMs]),
    });
    await clock.advance(450);
    pending[1]?.resolve(); // frees one slot at 450 ms
    await clock.advance(1000);
    expect(started).toEqual([0, 1, 2, 5]);
    expect(dropped).toEqual([
      [3, 300],
      [4, 400],
      [6, 600],
      [7, 700],
      [8, 800],
      [9, 900],
    ]);
    for (const p of pending) p.resolve();
    const stats = await model.done;
    expect(stats).toMatchObject({ scheduled: 10, started: 4, dropped: 6 });
  });

  it('stop() ends new arrivals and done waits for the started ones to settle', async () => {
    const clock = new FakeClock();
    const pending = Array.from({ length: 10 }, () => deferred());
    const model = runOpenModel({
      offsets: constant(10, 1000),
      clock,
      maxInFlight: 10,
      onArrival: (index) => pending[index]?.promise ?? Promise.resolve(),
      onDropped: () => {},
    });
    await clock.advance(250); // arrivals 0, 1, 2 started
    model.stop();
    let settled = false;
    void model.done.then(() => {
      settled = true;
    });
    await clock.advance(1000);
    expect(clock.pendingTimers).toBe(0);
    expect(settled).toBe(false);
    pending[0]?.resolve();
    pending[1]?.resolve();
    await flush();
    expect(settled).toBe(false);
    pending[2]?.reject(new Error('delivery bug'));
    const stats = await model.done;
    expect(stats).toMatchObject({ started: 3, scheduled: 3, stopped: true, callbackErrors: 1 });
    expect(stats.firstCallbackError).toBe('delivery bug');
  });

  it('resolves at once for an empty plan', async () => {
    const clock = new FakeClock();
    const model = runOpenModel({
      offsets: [],
      clock,
      maxInFlight: 1,
      onArrival: async () => {},
      onDropped: () => {},
    });
    await expect(model.done).resolves.toMatchObject({ scheduled: 0, started: 0 });
  });
});

describe('runOpenModel timer choice', () => {
  /** A virtual clock that also offers precise timers, counting which kind the scheduler asks for. */
  class PreciseFakeClock extends FakeClock {
    precise = 0;
    /** Every precise timer fires this many ms late (a loaded machine). */
    lateMs = 0;
    setPreciseTimer(ms: number, fn: () => void): () => void {
      this.precise++;
      return this.setTimer(ms + this.lateMs, fn);
    }
  }

  const run = async (rate: number, lateMs = 0) => {
    const clock = new PreciseFakeClock();
    clock.lateMs = lateMs;
    const model = runOpenModel({
      offsets: constant(rate, 1000),
      clock,
      maxInFlight: 1000,
      onArrival: async () => {},
      onDropped: () => {},
    });
    await clock.advance(2000);
    await model.done;
    return clock;
  };

  it('times sparse arrivals (gaps of 10 ms or more) with the precise timer', async () => {
    const clock = await run(20); // 50 ms gaps
    expect(clock.precise).toBe(19);
  });

  it('judges sparseness by the planned gap, so an arrival fired a little late keeps the next precise', async () => {
    const clock = await run(100, 0.5); // 10 ms gaps; each wake 0.5 ms late leaves a 9.5 ms wait
    expect(clock.precise).toBe(99);
  });

  it('keeps plain timers for dense arrivals, where a spin would cost the functions CPU', async () => {
    const clock = await run(500); // 2 ms gaps
    expect(clock.precise).toBe(0);
    expect(clock.timersSet).toBeGreaterThan(0);
  });
});

describe('runOpenModel stats()', () => {
  it('reports what was scheduled and started without waiting for running arrivals to settle', async () => {
    const clock = new FakeClock();
    const never = deferred();
    const model = runOpenModel({
      offsets: constant(10, 1000),
      clock,
      maxInFlight: 2,
      onArrival: () => never.promise,
      onDropped: () => {},
    });
    await clock.advance(450); // arrivals at 0, 100, 200, 300, 400 ms; two may run at once
    model.stop();
    expect(model.stats()).toMatchObject({ scheduled: 5, started: 2, dropped: 3, stopped: true });
    let settled = false;
    void model.done.then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
  });
});
