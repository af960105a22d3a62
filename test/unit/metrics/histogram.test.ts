import { describe, expect, it } from 'vitest';
import { InputError, LambenchError } from '../../../src/core/errors.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  MAX_LATENCY_US,
  mergeHistograms,
  recordClamped,
  summarizeHistogram,
} from '../../../src/metrics/histogram.js';

/** Within HDR's 3-significant-digit resolution (0.1%). */
const near = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001 + 1);

describe('histograms in integer µs', () => {
  it('gives the percentiles of known samples', () => {
    const h = createHistogram('us');
    for (let v = 1; v <= 10_000; v++) recordClamped(h, v, 'us');
    const s = summarizeHistogram(h);
    expect(s.count).toBe(10_000);
    near(s.p50, 5000);
    near(s.p90, 9000);
    near(s.p99, 9900);
    near(s.p999, 9990);
    near(s.max, 10_000);
    expect(s.min).toBe(1);
    expect(s.mean).toBeCloseTo(5000.5, 0);
  });

  it('rounds fractions and clamps values outside 0 … 1 h, saying so', () => {
    const h = createHistogram('us');
    expect(recordClamped(h, 1234.6, 'us')).toBe(true);
    expect(recordClamped(h, MAX_LATENCY_US * 2, 'us')).toBe(false);
    expect(recordClamped(h, -5, 'us')).toBe(false);
    expect(h.totalCount).toBe(3);
    expect(summarizeHistogram(h).min).toBe(0);
    near(summarizeHistogram(h).max, MAX_LATENCY_US);
    expect(h.getValueAtPercentile(50)).toBe(1235);
  });

  it('summarizes an empty histogram as zeros', () => {
    expect(summarizeHistogram(createHistogram('us'))).toEqual({
      count: 0,
      min: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
      max: 0,
    });
  });

  it('round-trips through the compressed base64 encoding', () => {
    const h = createHistogram('us');
    for (let i = 0; i < 5000; i++) recordClamped(h, 200 + ((i * 7919) % 100_000), 'us');
    const encoded = encodeHistogram(h, 'us');
    expect(encoded.encoded.startsWith('HISTF')).toBe(true);
    const back = decodeHistogram(encoded.encoded);
    expect(back.totalCount).toBe(5000);
    for (const p of [50, 90, 99, 99.9]) expect(back.getValueAtPercentile(p)).toBe(h.getValueAtPercentile(p));
    // Percentiles survive exactly; max is exact only before encoding (then it is the bucket's top).
    const { max, ...rest } = summarizeHistogram(back);
    const { max: exactMax, ...expected } = encoded.summary;
    expect(rest).toEqual(expected);
    expect(exactMax).toBe(h.maxValue);
    near(max, exactMax);
  });

  it('merges encoded histograms by adding their counts', () => {
    const fast = createHistogram('us');
    const slow = createHistogram('us');
    for (let i = 0; i < 900; i++) recordClamped(fast, 1000, 'us');
    for (let i = 0; i < 100; i++) recordClamped(slow, 500_000, 'us');
    const merged = mergeHistograms([encodeHistogram(fast, 'us'), encodeHistogram(slow, 'us').encoded]);
    expect(merged.totalCount).toBe(1000);
    near(merged.getValueAtPercentile(50), 1000);
    near(merged.getValueAtPercentile(95), 500_000);
    expect(mergeHistograms([]).totalCount).toBe(0);
  });

  it('refuses to merge different units or text that is not a histogram', () => {
    const us = encodeHistogram(createHistogram('us'), 'us');
    const mb = encodeHistogram(createHistogram('MB'), 'MB');
    expect(() => mergeHistograms([us, mb])).toThrow(LambenchError);
    expect(() => mergeHistograms(['HISTFnotreally'])).toThrow(InputError);
    expect(() => mergeHistograms([us.encoded, 'nope'])).toThrow(/histogram 1/);
  });
});
