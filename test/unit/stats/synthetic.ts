/** Synthetic latency histograms with known distributions, drawn from a seeded PRNG. */
import type { Histogram } from 'hdr-histogram-js';
import { type Random, seededRandom } from '../../../src/load/prng.js';
import { createHistogram, recordClamped } from '../../../src/metrics/histogram.js';

/** Warm samples per memory setting in scenarios/memory-sweep.yaml (checked by the sweep e2e test). */
export const SHIPPED_SAMPLES_PER_SETTING = 50;

/** A histogram of exactly these values (µs). */
export function histogramOfValues(values: readonly number[]): Histogram {
  const h = createHistogram('us');
  for (const v of values) recordClamped(h, v, 'us');
  return h;
}

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * n draws of a log-normal latency with median `medianUs` and log-sd `sigma` (sigma 0.1 ≈ a 10%
 * coefficient of variation, the spread of a CPU-bound function on a shared machine).
 */
export function lognormalHistogram(random: Random, n: number, medianUs: number, sigma: number): Histogram {
  const h = createHistogram('us');
  for (let i = 0; i < n; i++) recordClamped(h, medianUs * Math.exp(sigma * normal(random)), 'us');
  return h;
}

export { seededRandom };
