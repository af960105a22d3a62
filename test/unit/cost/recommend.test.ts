import { describe, expect, it } from 'vitest';
import { recommend } from '../../../src/cost/recommend.js';
import type { SettingData } from '../../../src/cost/sweep-settings.js';
import { histogramOfValues } from '../stats/synthetic.js';

/** A setting with these warm durations (µs) and this cost per million. */
function setting(memoryMB: number, values: number[], perMillionUsd: number): SettingData {
  const warm = histogramOfValues(values);
  return {
    warm,
    warmByRepeat: [warm],
    setting: {
      functionName: 'f',
      memoryMB,
      points: [],
      failed: false,
      invocations: values.length,
      errors: 0,
      errorsByType: {},
      warm: {
        count: values.length,
        p50: warm.getValueAtPercentile(50),
        p90: warm.getValueAtPercentile(90),
        p99: warm.getValueAtPercentile(99),
      },
      coldRate: 0,
      coldStarts: 0,
      forcedColdStarts: 0,
      maxMemoryUsedMB: 40,
      costs: [
        {
          architecture: 'x86_64',
          totalUsd: 0,
          perInvocationUsd: 0,
          perMillionUsd,
          computeUsd: 0,
          initUsd: 0,
          requestUsd: 0,
        },
      ],
      repeats: [],
    },
  };
}

const range = (from: number, n: number, step: number) => Array.from({ length: n }, (_, i) => from + i * step);

describe('recommend', () => {
  it('takes as the fastest a setting the U test finds significantly faster, even with a higher p90', () => {
    // B: most calls 1,000–1,100 µs, a tail of 10% at 5,000. A: all calls 2,000–2,400 µs.
    // A's p90 (≈2,360) is below B's (5,000), but B is faster on almost every call.
    const a = setting(1024, range(2000, 100, 4), 2);
    const b = setting(2048, [...range(1000, 88, 1), ...Array(12).fill(5000)], 3);
    const r = recommend([a, b], { strategy: 'speed', percentile: 'p90' });
    expect(r.recommendation?.fastestMemoryMB).toBe(2048);
    expect(r.settings.find((s) => s.memoryMB === 1024)?.comparison?.verdict).toBe('higher');
    expect(r.recommendation?.memoryMB).toBe(2048);
  });

  it('recommends nothing when every setting violates a constraint', () => {
    const a = setting(128, range(300_000, 20, 100), 1);
    const r = recommend([a], {
      strategy: 'cost',
      percentile: 'p99',
      maxLatency: { percentile: 'p99', us: 100_000 },
    });
    expect(r.recommendation).toBeUndefined();
    expect(r.settings[0]?.verdict).toBe('violates p99 < 100 ms');
  });
});
