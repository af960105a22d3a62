import { describe, expect, it } from 'vitest';
import { createRecorder } from '../../../src/metrics/recorder.js';
import { FakeClock } from '../load/fake-clock.js';
import { attempt, keyA, outcome } from './helpers.js';

describe('per-second concurrency and lateness', () => {
  it('is the time-weighted mean of invocations in the function in each second', () => {
    const clock = new FakeClock();
    const rec = createRecorder({ clock });
    // Two calls busy through all of second 0 and half of second 1; one throttled call (not invoked).
    rec.arrival(keyA, 1, 0);
    rec.arrival(keyA, 2, 0);
    rec.arrival(keyA, 3, 200);
    rec.attempt(attempt(keyA, 1, 0, 1500));
    rec.attempt(attempt(keyA, 2, 0, 1500));
    rec.attempt(attempt(keyA, 3, 200, 2250, { status: 'throttled' }, { startMs: 2200 }));
    for (const id of [1, 2]) rec.outcome(outcome(keyA, id, 'succeeded', 0, 1500));
    rec.outcome(outcome(keyA, 3, 'dropped', 200, 2250, 'throttled'));
    clock.stall(3000);
    const rows = rec.finish().series[0]?.perSecond ?? [];
    expect(rows.map((r) => [r.second, r.concurrency])).toEqual([
      [0, 2],
      [1, 1],
      [2, 0],
    ]);
  });

  it('counts late arrivals in the second they fired, and leaves the field out of seconds with none', () => {
    const clock = new FakeClock();
    const rec = createRecorder({ clock });
    rec.arrival(keyA, 1, 0);
    rec.arrival(keyA, 2, 900);
    rec.late?.(keyA, 1020); // due at 900, fired in second 1
    rec.late?.(keyA, 1500);
    clock.stall(2000);
    const rows = rec.finish().series[0]?.perSecond ?? [];
    expect(rows.map((r) => [r.second, r.late])).toEqual([
      [0, undefined],
      [1, 2],
    ]);
  });
});
