import { describe, expect, it } from 'vitest';
import { bootstrapQuantileDiff } from '../../../src/stats/index.js';
import { histogramOfValues, lognormalHistogram, seededRandom } from './synthetic.js';

describe('bootstrapQuantileDiff', () => {
  it('estimates the quantile difference as getValueAtPercentile reports it', () => {
    const a = histogramOfValues([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const b = histogramOfValues([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const r = bootstrapQuantileDiff(a, b, 0.5, { seed: 3 });
    expect(r.quantileA).toBe(a.getValueAtPercentile(50));
    expect(r.quantileB).toBe(b.getValueAtPercentile(50));
    expect(r.estimate).toBe(45);
    expect(r.low).toBeLessThanOrEqual(r.estimate);
    expect(r.high).toBeGreaterThanOrEqual(r.estimate);
    expect(r.low).toBeGreaterThan(0);
    expect(r.confidence).toBe(0.95);
  });

  it('is deterministic for a seed and varies with it', () => {
    const random = seededRandom(5);
    const a = lognormalHistogram(random, 500, 10_000, 0.3);
    const b = lognormalHistogram(random, 500, 10_000, 0.3);
    const one = bootstrapQuantileDiff(a, b, 0.9, { seed: 7 });
    expect(bootstrapQuantileDiff(a, b, 0.9, { seed: 7 })).toEqual(one);
    expect(bootstrapQuantileDiff(a, b, 0.9, { seed: 8 })).not.toEqual(one);
  });

  it('covers the true median difference in about 95% of 100 seeded experiments', () => {
    const random = seededRandom(21);
    let covered = 0;
    for (let t = 0; t < 100; t++) {
      // Medians 11,000 and 10,000 µs: the true difference is 1,000 µs.
      const a = lognormalHistogram(random, 200, 11_000, 0.2);
      const b = lognormalHistogram(random, 200, 10_000, 0.2);
      const r = bootstrapQuantileDiff(a, b, 0.5, { seed: t, iterations: 1000 });
      if (r.low <= 1000 && 1000 <= r.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(88);
    expect(covered).toBeLessThanOrEqual(100);
  });

  it('handles 100,000-sample histograms (one draw per replicate, not per sample)', () => {
    const random = seededRandom(9);
    const a = lognormalHistogram(random, 100_000, 50_000, 0.5);
    const b = lognormalHistogram(random, 100_000, 50_000, 0.5);
    const r = bootstrapQuantileDiff(a, b, 0.99, { seed: 1, iterations: 2000 });
    // Same distribution: the interval straddles zero and is narrow relative to p99 (~160 ms).
    expect(r.low).toBeLessThanOrEqual(0);
    expect(r.high).toBeGreaterThanOrEqual(0);
    expect(r.high - r.low).toBeLessThan(0.05 * r.quantileB);
  });

  it('rejects a quantile outside (0, 1] and empty histograms', () => {
    const a = histogramOfValues([1, 2, 3]);
    expect(() => bootstrapQuantileDiff(a, a, 0)).toThrow(RangeError);
    expect(() => bootstrapQuantileDiff(a, a, 1.5)).toThrow(RangeError);
    expect(() => bootstrapQuantileDiff(a, histogramOfValues([]), 0.5)).toThrow(RangeError);
  });
});
