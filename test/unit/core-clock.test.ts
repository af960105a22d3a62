import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';

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
