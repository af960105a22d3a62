import { describe, expect, it } from 'vitest';
import { SpinMargin, systemClock } from '../../src/core/clock.js';

describe('systemClock.setPreciseTimer', () => {
  it('never fires before its due time, however short the wait', async () => {
    for (const ms of [0, 0.5, 2, 12]) {
      const start = performance.now();
      const firedAt = await new Promise<number>((resolve) => {
        systemClock.setPreciseTimer?.(ms, () => resolve(performance.now()));
      });
      expect(firedAt - start).toBeGreaterThanOrEqual(ms);
    }
  });

  it('does not fire once cancelled, in the sleeping or the spinning part of the wait', async () => {
    let fired = 0;
    const cancelSleeping = systemClock.setPreciseTimer?.(20, () => fired++);
    const cancelSpinning = systemClock.setPreciseTimer?.(1, () => fired++);
    cancelSleeping?.();
    cancelSpinning?.();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(fired).toBe(0);
  });
});

describe('SpinMargin', () => {
  it('is the 90th percentile of the recent overshoots', () => {
    const margin = new SpinMargin();
    // Overshoots spread evenly over 0.30–0.50 ms: the 90th percentile is 0.48 ms.
    for (let i = 0; i < 200; i++) margin.observe(0.3 + ((i * 7919) % 1000) / 5000);
    expect(margin.value).toBeGreaterThan(0.42);
    expect(margin.value).toBeLessThan(0.52);
    // A run of late wake-ups (a busy machine) widens it within a few dozen timers.
    for (let i = 0; i < 32; i++) margin.observe(0.9 + (i % 4) / 100);
    expect(margin.value).toBeGreaterThan(0.89);
  });

  it('starts at its ceiling and stays within its bounds', () => {
    const margin = new SpinMargin({ minMs: 0.2, maxMs: 1.5 });
    expect(margin.value).toBe(1.5);
    for (let i = 0; i < 100; i++) margin.observe(30); // a loaded machine: spinning cannot help
    expect(margin.value).toBe(1.5);
    for (let i = 0; i < 100; i++) margin.observe(-0.3); // timers early
    expect(margin.value).toBe(0.2);
  });
});
