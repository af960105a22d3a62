/**
 * The cost model against figures computed by hand from the us-east-1 price table:
 * x86 $0.0000166667/GB-s (tiers −10% past 6B, −20% past 15B GB-s), arm64 $0.0000133334/GB-s,
 * $0.20 per million requests, storage over 512 MB $0.0000000309/GB-s.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRICES,
  histogramCost,
  perMillionRecords,
  provisionedConcurrencyUsd,
  seriesCost,
  tieredDurationUsd,
} from '../../../src/cost/index.js';
import type { Histogram } from '../../../src/metrics/histogram.js';
import { createHistogram, encodeHistogram, recordClamped } from '../../../src/metrics/histogram.js';
import { samplePoint } from '../metrics/helpers.js';

const X86 = 0.0000166667;
const ARM = 0.0000133334;
const REQUEST = 0.0000002;

function repeated(valueUs: number, count: number): Histogram {
  const h = createHistogram('us');
  for (let i = 0; i < count; i++) recordClamped(h, valueUs, 'us');
  return h;
}

/** Relative closeness: histogram sums are exact to 0.05%. */
function expectClose(actual: number, expected: number, relative = 5e-4): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative + 1e-15);
}

describe('tieredDurationUsd', () => {
  const x86 = DEFAULT_PRICES.architectures.x86_64.durationTiers;
  it('prices each GB-second at the tier it falls in', () => {
    expectClose(tieredDurationUsd(x86, 1000), 1000 * X86, 1e-12);
    // 6B at tier 1 + 4B at tier 2.
    expectClose(tieredDurationUsd(x86, 10e9), 6e9 * X86 + 4e9 * 0.000015, 1e-12);
    // Starting at 14B used: 1B at tier 2 + 1B at tier 3.
    expectClose(tieredDurationUsd(x86, 2e9, 14e9), 1e9 * 0.000015 + 1e9 * 0.0000133334, 1e-12);
    expect(tieredDurationUsd(x86, 0, 5e9)).toBe(0);
  });

  it('uses arm64 thresholds of 7.5B and 18.75B', () => {
    const arm = DEFAULT_PRICES.architectures.arm64.durationTiers;
    expectClose(tieredDurationUsd(arm, 1e9, 7e9), 0.5e9 * ARM + 0.5e9 * 0.0000120001, 1e-12);
    expectClose(tieredDurationUsd(arm, 1e9, 19e9), 1e9 * 0.0000106667, 1e-12);
  });
});

describe('histogramCost', () => {
  it('1,000 warm 100 ms invocations at 1,024 MB x86: 100 GB-s + 1,000 requests', () => {
    const cost = histogramCost({
      memoryMB: 1024,
      invocations: 1000,
      billedUs: repeated(100_000, 1000),
      initUs: createHistogram('us'),
    });
    expectClose(cost.gbSeconds, 100);
    expectClose(cost.computeUsd, 100 * X86);
    expect(cost.initUsd).toBe(0);
    expectClose(cost.requestUsd, 1000 * REQUEST, 1e-12);
    expectClose(cost.totalUsd, 100 * X86 + 1000 * REQUEST);
    // 0.00166667 + 0.0002 = $0.00186667 per thousand → $1.86667 per million.
    expectClose(cost.perMillionInvocationsUsd, 1.86667);
    expectClose(cost.perInvocationUsd, 1.86667e-6);
  });

  it('arm64 prices the same GB-seconds lower; requests cost the same', () => {
    const cost = histogramCost(
      { memoryMB: 1024, invocations: 1000, billedUs: repeated(100_000, 1000), initUs: createHistogram('us') },
      { architecture: 'arm64' },
    );
    expect(cost.architecture).toBe('arm64');
    expectClose(cost.computeUsd, 100 * ARM);
    expectClose(cost.totalUsd, 100 * ARM + 1000 * REQUEST);
  });

  it('bills INIT on cold starts: a 300 ms billed cold start with 200 ms of INIT at 512 MB', () => {
    // 10 cold starts: handler 10 × 0.1 s × 0.5 GB = 0.5 GB-s, INIT 10 × 0.2 s × 0.5 GB = 1 GB-s.
    const input = {
      memoryMB: 512,
      invocations: 10,
      billedUs: repeated(300_000, 10),
      initUs: repeated(200_000, 10),
    };
    const cost = histogramCost(input);
    // The handler share is billed − INIT: two bucket errors on a third of the value, so 0.2%.
    expectClose(cost.computeUsd, 0.5 * X86, 2e-3);
    expectClose(cost.initUsd, 1 * X86);
    expectClose(cost.gbSeconds, 1.5);
    expectClose(cost.totalUsd, 1.5 * X86 + 10 * REQUEST);

    // Before 2025-08-01 INIT was free for ZIP + managed runtimes.
    const free = histogramCost(input, { initBilled: false });
    expect(free.initUsd).toBe(0);
    expectClose(free.totalUsd, 0.5 * X86 + 10 * REQUEST, 2e-3);

    // Billed durations that do not contain INIT get it added.
    const apart = histogramCost(input, { billedIncludesInit: false });
    expectClose(apart.computeUsd, 1.5 * X86);
    expectClose(apart.initUsd, 1 * X86);
  });

  it('charges ephemeral storage above 512 MB per GB-second of billed duration', () => {
    // 2,048 MB of /tmp → 1.5 GB extra × 100 s billed.
    const input = {
      memoryMB: 1024,
      invocations: 1000,
      billedUs: repeated(100_000, 1000),
      initUs: createHistogram('us'),
    };
    const cost = histogramCost(input, { ephemeralStorageMB: 2048 });
    expectClose(cost.ephemeralStorageUsd, 1.5 * 100 * 0.0000000309);
    expectClose(cost.totalUsd, 100 * X86 + 1000 * REQUEST + 1.5 * 100 * 0.0000000309);
    expect(histogramCost(input, { ephemeralStorageMB: 512 }).ephemeralStorageUsd).toBe(0);
  });

  it('moves into the next tier when the account already used its first-tier GB-seconds', () => {
    const input = {
      memoryMB: 1024,
      invocations: 1000,
      billedUs: repeated(100_000, 1000),
      initUs: createHistogram('us'),
    };
    const cost = histogramCost(input, { alreadyUsedGbSeconds: 16e9 });
    expectClose(cost.computeUsd, 100 * 0.0000133334);
  });

  it('prices the tail: a mix of 10 ms and 1 s calls costs their sum, not the median', () => {
    const billed = repeated(10_000, 99);
    recordClamped(billed, 1_000_000, 'us');
    const cost = histogramCost({
      memoryMB: 2048,
      invocations: 100,
      billedUs: billed,
      initUs: createHistogram('us'),
    });
    // 2 GB × (99 × 0.01 + 1) s = 3.98 GB-s.
    expectClose(cost.gbSeconds, 3.98);
  });

  it('has no per-invocation figure without invocations', () => {
    const cost = histogramCost({
      memoryMB: 128,
      invocations: 0,
      billedUs: createHistogram('us'),
      initUs: createHistogram('us'),
    });
    expect(cost.totalUsd).toBe(0);
    expect(cost.perInvocationUsd).toBe(0);
  });
});

describe('seriesCost', () => {
  it('reads a results.json series: memory, invocations, cold and warm billed histograms, INIT', () => {
    const point = samplePoint(512);
    const series = point.series[0];
    if (!series) throw new Error('sample point has no series');
    const billedCold = repeated(300_000, 2);
    const billedWarm = repeated(50_000, 8);
    const init = repeated(200_000, 2);
    const withHistograms = {
      ...series,
      key: { ...series.key, memoryMB: 512 },
      counters: { ...series.counters, invocations: 10 },
      histograms: {
        ...series.histograms,
        billedDurationUs: {
          cold: encodeHistogram(billedCold, 'us'),
          warm: encodeHistogram(billedWarm, 'us'),
        },
        initDurationUs: encodeHistogram(init, 'us'),
      },
    };
    const cost = seriesCost(withHistograms);
    // Handler: (2 × 0.1 + 8 × 0.05) s × 0.5 GB = 0.3 GB-s; INIT: 2 × 0.2 s × 0.5 GB = 0.2 GB-s.
    expectClose(cost.computeUsd, 0.3 * X86, 2e-3);
    expectClose(cost.initUsd, 0.2 * X86);
    expect(cost.invocations).toBe(10);
    expect(cost.billedSamples).toBe(10);
    expectClose(cost.totalUsd, 0.5 * X86 + 10 * REQUEST);
  });
});

describe('perMillionRecords and provisioned concurrency', () => {
  it('divides a cost by records', () => {
    expect(perMillionRecords({ totalUsd: 0.5 }, 250_000)).toBeCloseTo(2, 12);
    expect(perMillionRecords({ totalUsd: 0.5 }, 0)).toBe(0);
  });

  it('bills provisioned environments in 5-minute steps', () => {
    // 2 environments × 1 GB × 600 s (301 s rounds up to 10 minutes) × $0.0000041667.
    expectClose(provisionedConcurrencyUsd(1024, 2, 301), 2 * 600 * 0.0000041667, 1e-12);
    expectClose(
      provisionedConcurrencyUsd(1024, 2, 300, { architecture: 'arm64' }),
      2 * 300 * 0.0000033334,
      1e-12,
    );
  });
});
