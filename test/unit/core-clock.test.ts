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
  it('settles near the 90th percentile of the overshoots it sees', () => {
    const margin = new SpinMargin();
    // Overshoots spread evenly over 0.30–0.50 ms: the 90th percentile is 0.48 ms.
    // The margin moves in steps, so judge its mean over the last thousand observations.
    let sum = 0;
    for (let i = 0; i < 5000; i++) {
      margin.observe(0.3 + ((i * 7919) % 1000) / 5000);
      if (i >= 4000) sum += margin.value;
    }
    expect(sum / 1000).toBeGreaterThan(0.44);
    expect(sum / 1000).toBeLessThan(0.52);
  });

  it('starts at its ceiling and stays within its bounds', () => {
    const margin = new SpinMargin({ minMs: 0.2, maxMs: 1.5 });
    expect(margin.value).toBe(1.5);
    for (let i = 0; i < 1000; i++) margin.observe(30); // a loaded machine: spinning cannot help
    expect(margin.value).toBe(1.5);
    for (let i = 0; i < 5000; i++) margin.observe(0); // timers always on time
    expect(margin.value).toBe(0.2);
  });
});
