/**
 * The significance test as the sweep uses it, on synthetic latency histograms with known answers:
 * how often a real 10% shift is found (power) and how often identical distributions are called
 * different (false positives). Seeded, so every run draws the same samples and cannot flake.
 */
import { describe, expect, it } from 'vitest';
import { compareDistributions } from '../../../src/stats/index.js';
import { lognormalHistogram, SHIPPED_SAMPLES_PER_SETTING, seededRandom } from './synthetic.js';

/** Log-sd of the synthetic latency: a 10% spread, the order measured for cpu-primes here. */
const SIGMA = 0.1;
const TRIALS = 200;
/**
 * The sweep's significance level. At 0.05 a test's false-positive rate is 5% by construction (4.9%
 * over 20,000 trials here), so 200 trials land above 5% about half the time; the sweep compares every
 * setting with the fastest, which argues for a stricter level anyway (0.9% false positives over
 * 5,000 trials; power at 50 samples 97%).
 */
const ALPHA = 0.01;

function detections(shift: number, seed: number): { higher: number; lower: number } {
  const random = seededRandom(seed);
  let higher = 0;
  let lower = 0;
  for (let t = 0; t < TRIALS; t++) {
    const a = lognormalHistogram(random, SHIPPED_SAMPLES_PER_SETTING, 200_000 * shift, SIGMA);
    const b = lognormalHistogram(random, SHIPPED_SAMPLES_PER_SETTING, 200_000, SIGMA);
    const verdict = compareDistributions(a, b, { alpha: ALPHA, iterations: 200 }).verdict;
    if (verdict === 'higher') higher++;
    if (verdict === 'lower') lower++;
  }
  return { higher, lower };
}

describe('significance at the sweep sample size', () => {
  it('finds a real 10% slowdown in at least 90% of 200 seeded trials, and never the wrong way', () => {
    const { higher, lower } = detections(1.1, 11);
    expect(higher / TRIALS).toBeGreaterThanOrEqual(0.9);
    expect(lower).toBe(0);
  });

  it('calls identical distributions different in at most 5% of 200 seeded trials', () => {
    const { higher, lower } = detections(1, 12);
    expect((higher + lower) / TRIALS).toBeLessThanOrEqual(0.05);
  });
});
