/**
 * The baseline comparison on synthetic results with known answers: a real 10% slowdown must be
 * flagged (power), two samples of one distribution must not be (false positives), a change within
 * the margin is not a regression however significant, and a file compared with itself passes.
 * Seeded: every run draws the same samples.
 */
import { describe, expect, it } from 'vitest';
import {
  compareLatency,
  compareResults,
  DEFAULT_MARGINS,
  parseMargins,
  rateCheck,
} from '../../../src/ci/compare.js';
import { InputError } from '../../../src/core/errors.js';
import { encodeHistogram } from '../../../src/metrics/histogram.js';
import type { Results } from '../../../src/metrics/results-schema.js';
import { samplePoint, sampleResults } from '../metrics/helpers.js';
import { lognormalHistogram, seededRandom } from '../stats/synthetic.js';

const TRIALS = 200;
/** Warm samples per run, and their spread: a 30% coefficient of variation, noisier than most functions. */
const SAMPLES = 400;
const SIGMA = 0.3;

/** A results file whose one function has `n` warm latencies drawn log-normal around `medianUs`. */
function syntheticResults(random: () => number, medianUs: number, n = SAMPLES): Results {
  const results = sampleResults([samplePoint(512)]);
  const series = results.points[0]?.series[0];
  if (!series) throw new Error('sample has no series');
  series.histograms.clientLatencyUs = {
    warm: encodeHistogram(lognormalHistogram(random, n, medianUs, SIGMA), 'us'),
  };
  return results;
}

/** Share of 200 seeded trials in which any latency percentile was flagged as a regression. */
function flaggedShare(shift: number, seed: number, margins: Record<string, number>): number {
  const random = seededRandom(seed);
  let flagged = 0;
  for (let t = 0; t < TRIALS; t++) {
    const baseline = lognormalHistogram(random, SAMPLES, 50_000, SIGMA);
    const current = lognormalHistogram(random, SAMPLES, 50_000 * shift, SIGMA);
    if (compareLatency(current, baseline, margins, t + 1).some((c) => c.regression)) flagged++;
  }
  return flagged / TRIALS;
}

describe('the comparison statistics on synthetic histograms', () => {
  it('flag a real 10% slowdown (beyond a 3% margin) in at least 90% of 200 seeded trials', () => {
    const margins = parseMargins('p50=3%,p90=3%,p99=50%,p999=100%');
    expect(flaggedShare(1.1, 21, margins)).toBeGreaterThanOrEqual(0.9);
  });

  it('flag two samples of one distribution in at most 5% of 200 seeded trials, even with zero margins', () => {
    expect(flaggedShare(1, 22, parseMargins('p50=0%,p90=0%,p99=0%,p999=0%'))).toBeLessThanOrEqual(0.05);
  });
});

describe('compareResults', () => {
  it('does not call a significant change a regression while it is within the margin', () => {
    const random = seededRandom(5);
    const baseline = syntheticResults(random, 50_000, 5000);
    const current = syntheticResults(random, 55_000, 5000); // +10%, very significant at 5,000 samples
    const within = compareResults(baseline, current, { margins: parseMargins('p50=20%') });
    const p50 = within.checks.find((c) => c.metric === 'p50');
    expect(p50).toMatchObject({ significant: true, regression: false });
    expect(p50?.change).toBeGreaterThan(0.05);
    const beyond = compareResults(baseline, current, { margins: parseMargins('p50=5%') });
    expect(beyond.checks.find((c) => c.metric === 'p50')).toMatchObject({
      significant: true,
      regression: true,
    });
    expect(beyond.passed).toBe(false);
    // The other way round it is an improvement, never a regression.
    const better = compareResults(current, baseline, { margins: parseMargins('p50=5%') });
    expect(better.passed).toBe(true);
    expect(better.checks.find((c) => c.metric === 'p50')).toMatchObject({
      improvement: true,
      regression: false,
    });
  });

  it('passes a results file compared with itself, with every check made', () => {
    const results = sampleResults();
    const comparison = compareResults(results, structuredClone(results));
    expect(comparison.passed).toBe(true);
    // 2 rows × (4 percentiles + 2 rates + cost)
    expect(comparison.checks).toHaveLength(14);
    for (const c of comparison.checks) expect(c).toMatchObject({ regression: false, change: 0 });
  });

  it('fails when a function of the baseline is missing from the current run', () => {
    const baseline = sampleResults();
    const current = sampleResults([samplePoint(128, 3)]);
    const comparison = compareResults(baseline, current);
    expect(comparison.passed).toBe(false);
    expect(comparison.checks.find((c) => c.regression)).toMatchObject({
      memoryMB: 1024,
      note: 'in the baseline but not in the current run',
    });
  });
});

describe('rate regressions (two-proportion z-test)', () => {
  it('flags a cold-start rate up from 1% to 5% over 2,000 invocations beyond a 2pp margin', () => {
    const check = rateCheck('coldStarts.rate', 20, 2000, 100, 2000, DEFAULT_MARGINS);
    expect(check).toMatchObject({ regression: true, significant: true });
    expect(check.change).toBeCloseTo(0.04, 10);
  });

  it('does not flag the same change on 50 invocations (not significant)', () => {
    expect(rateCheck('coldStarts.rate', 0, 50, 2, 50, DEFAULT_MARGINS)).toMatchObject({
      regression: false,
      significant: false,
    });
  });

  it('does not flag a significant change within the margin', () => {
    expect(rateCheck('errors.rate', 0, 100_000, 300, 100_000, parseMargins('errors.rate=1pp'))).toMatchObject(
      {
        regression: false,
        significant: true,
      },
    );
  });
});

describe('parseMargins', () => {
  it('reads relative and percentage-point margins over the defaults', () => {
    expect(parseMargins('p99=10%, coldStarts.rate=2pp')).toEqual({
      ...DEFAULT_MARGINS,
      p99: 0.1,
      'coldStarts.rate': 0.02,
    });
  });

  it.each([
    ['p98=10%', /unknown metric "p98"/],
    ['p99=10', /expected metric=limit/],
    ['p99=10pp', /p99 takes a relative change in %/],
    ['errors.rate=1%', /errors.rate takes percentage points/],
  ])('rejects %s', (text, message) => {
    let error: unknown;
    try {
      parseMargins(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(message);
  });
});
