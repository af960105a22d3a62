import { describe, expect, it } from 'vitest';
import { encodeHistogram } from '../../../src/metrics/histogram.js';
import { binsOf, compareDistributions, histogramOf, MIN_SAMPLES_FOR_TEST } from '../../../src/stats/index.js';
import { histogramOfValues, lognormalHistogram, seededRandom } from './synthetic.js';

describe('compareDistributions', () => {
  const random = seededRandom(4);
  const slow = lognormalHistogram(random, 200, 120_000, 0.05);
  const fast = lognormalHistogram(random, 200, 100_000, 0.05);

  it('says which side is higher, with the evidence', () => {
    const c = compareDistributions(slow, fast, { quantile: 0.9 });
    expect(c.verdict).toBe('higher');
    expect(c.mannWhitney.pValue).toBeLessThan(1e-6);
    expect(c.mannWhitney.rankBiserial).toBeGreaterThan(0.9);
    expect(c.quantileDiff?.quantile).toBe(0.9);
    expect(c.quantileDiff?.low).toBeGreaterThan(0);
    expect(c.quantileDiff?.confidence).toBeCloseTo(0.95, 12);
    expect(compareDistributions(fast, slow).verdict).toBe('lower');
  });

  it('accepts extracted bins and calls the same distribution indistinguishable', () => {
    const again = lognormalHistogram(random, 200, 100_000, 0.05);
    expect(compareDistributions(binsOf(fast), binsOf(again)).verdict).toBe('indistinguishable');
  });

  it('refuses to judge below the minimum sample count and leaves out the interval for an empty side', () => {
    const few = histogramOfValues(Array.from({ length: MIN_SAMPLES_FOR_TEST - 1 }, (_, i) => 1000 + i));
    expect(compareDistributions(few, slow).verdict).toBe('too-few-samples');
    const none = compareDistributions(histogramOfValues([]), slow);
    expect(none.verdict).toBe('too-few-samples');
    expect(none.quantileDiff).toBeUndefined();
  });
});

describe('histogramOf', () => {
  it('merges encoded parts and skips absent ones', () => {
    const cold = encodeHistogram(histogramOfValues([500, 600]), 'us');
    const warm = encodeHistogram(histogramOfValues([10, 20, 30]), 'us');
    expect(histogramOf(cold, undefined, warm).totalCount).toBe(5);
    expect(histogramOf(undefined).totalCount).toBe(0);
  });
});
