import { describe, expect, it } from 'vitest';
import { expectedArrivals, totalDurationMs } from '../../../src/load/phases.js';
import { slicePhases } from '../../../src/load/slice-load.js';
import type { Phase } from '../../../src/load/types.js';

const profile: Phase[] = [
  { kind: 'ramp', durationMs: 4000, from: 0, to: 20 },
  { kind: 'constant', durationMs: 2000, rate: 20 },
  { kind: 'pause', durationMs: 1000 },
  { kind: 'count', durationMs: 1000, count: 7 },
];

describe('slicePhases', () => {
  it('cuts the profile into equal time slices that add back up to it', () => {
    const slices = [0, 1, 2, 3].map((i) => slicePhases(profile, i, 4));
    for (const s of slices) expect(totalDurationMs(s)).toBeCloseTo(2000, 9);
    const arrivals = slices.reduce((sum, s) => sum + expectedArrivals(s), 0);
    expect(arrivals).toBeCloseTo(expectedArrivals(profile), 6);
  });

  it('keeps a ramp’s rates at the cut and splits count phases by time', () => {
    expect(slicePhases(profile, 0, 4)).toEqual([{ kind: 'ramp', durationMs: 2000, from: 0, to: 10 }]);
    expect(slicePhases(profile, 1, 4)).toEqual([{ kind: 'ramp', durationMs: 2000, from: 10, to: 20 }]);
    expect(slicePhases(profile, 3, 4)).toEqual([
      { kind: 'pause', durationMs: 1000 },
      { kind: 'count', durationMs: 1000, count: 7 },
    ]);
    const halves = [0, 1].map((i) => slicePhases([{ kind: 'count', durationMs: 1000, count: 7 }], i, 2));
    expect(halves.map((h) => (h[0]?.kind === 'count' ? h[0].count : -1))).toEqual([4, 3]);
  });

  it('returns the profile itself for one slice', () => {
    expect(slicePhases(profile, 0, 1)).toEqual(profile);
  });
});
