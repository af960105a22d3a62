import { describe, expect, it } from 'vitest';
import {
  formatSeconds,
  harnessVerdict,
  markDelayedSeconds,
  type VerdictInput,
} from '../../../src/metrics/harness-verdict.js';
import { ResultsSchema } from '../../../src/metrics/results-schema.js';
import { formatSummary } from '../../../src/report/summary.js';
import { samplePoint, sampleResults } from './helpers.js';

/** samplePoint: 200 arrivals over seconds 0-1, point 2.5 s long. Epoch of its second 0: */
const T0 = 1_700_000_000_000;

function input(overrides: Partial<VerdictInput> = {}): VerdictInput {
  return {
    samples: [],
    stalls: [],
    points: [{ results: samplePoint(512), startEpochMs: T0, lateBySecond: new Map() }],
    stallThresholdMs: 100,
    lateToleranceMs: 10,
    lateLimitFraction: 0.01,
    ...overrides,
  };
}

describe('harnessVerdict', () => {
  it('is clean when nothing fell behind', () => {
    const v = harnessVerdict(input());
    expect(v.clean).toBe(true);
    expect(v.reasons).toEqual([]);
    expect(v.affectedSeconds).toEqual([]);
    expect(v.lateArrivals).toMatchObject({ count: 0, scheduled: 200, fraction: 0, toleranceMs: 10 });
  });

  it('a stall in a point: not clean, its seconds and the keys that ran in them named', () => {
    const v = harnessVerdict(input({ stalls: [{ atEpochMs: T0 + 700, durationMs: 1_000 }] }));
    expect(v.clean).toBe(false);
    expect(v.reasons).toEqual(['harness stalled once (did not run for 1.00 s)']);
    expect(v.stalls).toEqual([{ atEpochMs: T0 + 700, durationMs: 1_000, point: 0, second: 0 }]);
    // 0.7 s to 1.75 s (+50 ms for the backlog): seconds 0 and 1.
    expect(v.affectedSeconds).toEqual([
      { point: 0, second: 0 },
      { point: 0, second: 1 },
    ]);
    expect(v.affectedKeys).toHaveLength(1);
    expect(v.affectedKeys[0]?.key.functionName).toBe('resize');
  });

  it('a stall between points (before the first started) leaves the verdict clean but is listed', () => {
    const v = harnessVerdict(input({ stalls: [{ atEpochMs: T0 - 5_000, durationMs: 300 }] }));
    expect(v.clean).toBe(true);
    expect(v.stalls).toEqual([{ atEpochMs: T0 - 5_000, durationMs: 300 }]);
  });

  it('a stall after the calls of a point settled (closing its recorder) is listed, not judged', () => {
    const v = harnessVerdict(
      input({
        points: [
          { results: samplePoint(512), startEpochMs: T0, endEpochMs: T0 + 2_000, lateBySecond: new Map() },
        ],
        stalls: [{ atEpochMs: T0 + 2_100, durationMs: 300 }],
      }),
    );
    expect(v.clean).toBe(true);
    expect(v.stalls).toEqual([{ atEpochMs: T0 + 2_100, durationMs: 300 }]);
  });

  it('late arrivals count as a fraction; past the limit they mark their seconds', () => {
    const point = samplePoint(512);
    if (point.scheduler) point.scheduler.lateOver10Ms = 30;
    const lateBySecond = new Map([
      [1, 29],
      [0, 1],
    ]);
    const v = harnessVerdict(input({ points: [{ results: point, startEpochMs: T0, lateBySecond }] }));
    expect(v.clean).toBe(false);
    expect(v.lateArrivals.count).toBe(30);
    expect(v.lateArrivals.fraction).toBeCloseTo(30 / 200);
    expect(v.reasons[0]).toMatch(/^30 arrivals \(15\.0%\) fired more than 10 ms late, up to 3 ms$/);
    // Second 0 had 1 late of 100 arrivals (at the 1% limit, not above); second 1 had 29.
    expect(v.affectedSeconds).toEqual([{ point: 0, second: 1 }]);
  });

  it('a few late arrivals within the limit leave the run clean and mark no second', () => {
    const point = samplePoint(512);
    if (point.scheduler) point.scheduler.lateOver10Ms = 2;
    // 2 of 200 is the 1% limit, not above it, though second 1 alone had 2 of its 100.
    const lateBySecond = new Map([[1, 2]]);
    const v = harnessVerdict(input({ points: [{ results: point, startEpochMs: T0, lateBySecond }] }));
    expect(v.clean).toBe(true);
    expect(v.lateArrivals.count).toBe(2);
    expect(v.affectedSeconds).toEqual([]);
  });

  it('a saturated sample marks the seconds it covers; one stretched only by a stall does not', () => {
    const sample = (atEpochMs: number, reason: string, stalledMs?: number) => ({
      atEpochMs,
      intervalMs: 1_000,
      loopDelayP50Ms: 1,
      loopDelayP99Ms: 30,
      loopDelayMaxMs: 40,
      cpuPercent: 50,
      saturated: true,
      reason,
      ...(stalledMs === undefined ? {} : { stalledMs }),
    });
    const v = harnessVerdict(
      input({
        samples: [
          sample(T0 + 2_400, 'event-loop delay p99 30.0 ms > 10 ms'),
          sample(T0 + 1_000, 'harness stalled: sample ran 400 ms long', 400),
        ],
      }),
    );
    expect(v.saturatedSamples).toBe(1);
    expect(v.reasons).toEqual(['harness saturated in 1 of 2 samples (event-loop delay p99 30.0 ms > 10 ms)']);
    expect(v.affectedSeconds).toEqual([
      { point: 0, second: 1 },
      { point: 0, second: 2 },
    ]);
  });

  it('marks per-second rows, names the seconds first in the summary, and stays valid results', () => {
    const point = samplePoint(512);
    const v = harnessVerdict(
      input({
        points: [{ results: point, startEpochMs: T0, lateBySecond: new Map() }],
        stalls: [{ atEpochMs: T0 + 1_200, durationMs: 650 }],
      }),
    );
    markDelayedSeconds([point], v);
    expect(point.series[0]?.perSecond.map((r) => r.harnessDelayed === true)).toEqual(
      point.series[0]?.perSecond.map((r) => r.second === 1),
    );
    const results = sampleResults([point]);
    results.run.harness.verdict = v;
    expect(ResultsSchema.safeParse(JSON.parse(JSON.stringify(results))).success).toBe(true);
    const lines = formatSummary(results).split('\n');
    expect(lines[0]).toMatch(/^HARNESS FELL BEHIND/);
    expect(lines[1]).toMatch(/^ {2}stalled: the harness did not run for 650 ms at second 1 \(/);
    expect(lines[2]).toBe('  affected: second 1 (marked harnessDelayed in results.json)');
    expect(formatSummary(results)).not.toMatch(/harness: ok/);
  });

  it('a clean verdict keeps the summary short: harness ok at the end', () => {
    const results = sampleResults([samplePoint(512)]);
    results.run.harness.verdict = harnessVerdict(input());
    const text = formatSummary(results);
    expect(text.split('\n')[0]).toMatch(/^lambench s3-burst/);
    expect(text).toMatch(/harness: ok \(event-loop delay p99 <= 2\.0 ms, CPU <= 20% of a core\)/);
  });
});

describe('formatSeconds', () => {
  it('folds runs of seconds into ranges', () => {
    expect(formatSeconds([3, 4, 5, 8, 10, 11])).toBe('3-5, 8, 10-11');
    expect(formatSeconds([0])).toBe('0');
    expect(formatSeconds([])).toBe('');
  });
});
