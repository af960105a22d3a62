/**
 * Accuracy of what `lambench run` measures, through startRun in-process against the embedded
 * emulator (its runtime client comes from dist/: build first with `npx tsc -p tsconfig.json`).
 *
 * - A function that sleeps a known time: the warm client latency shows that time, plus only the
 *   invoke path's fixed cost (measured in the same run by an identical function that does not sleep).
 * - No coordinated omission: a service-wide 1 s stall under a constant arrival rate shows up in
 *   p99, because latency runs from each arrival's intended start, not from when a call got going.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type EncodedHistogram, mergeHistograms } from '../../src/metrics/histogram.js';
import type { Results, SeriesResults } from '../../src/metrics/results-schema.js';
import { startRun } from '../../src/run/run.js';
import { loadScenario, planRun } from '../../src/scenario/index.js';
import { FIXTURES, ledgerProblems, lingeringEnvironments } from '../fixtures/run/lambench.js';

const ACCURACY = join(FIXTURES, 'accuracy');
const work = mkdtempSync(join(tmpdir(), 'lambench-run-accuracy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(name: string, set: string[] = []): Promise<Results> {
  const scenario = await loadScenario(join(ACCURACY, `${name}.yaml`), { cwd: work, set });
  const handle = startRun({ scenario, plan: planRun(scenario), outputDir: join(work, name) });
  const { results } = await handle.done;
  expect(results.run.aborted).toBe(false);
  expect(ledgerProblems(results)).toEqual([]);
  expect(await lingeringEnvironments(join(ACCURACY, 'functions'))).toEqual([]);
  return results;
}

function seriesOf(results: Results, functionName: string): SeriesResults {
  const s = results.points[0]?.series.find((x) => x.key.functionName === functionName);
  expect(s, functionName).toBeDefined();
  return s as SeriesResults;
}

/** Cold and warm client latency together (µs), as every request saw it. */
function allClientLatency(s: SeriesResults) {
  const { cold, warm } = s.histograms.clientLatencyUs;
  return mergeHistograms([cold, warm].filter((h): h is EncodedHistogram => h !== undefined));
}

/** Warm client latency minus the function's duration (µs), per call. */
function overheadOf(s: SeriesResults) {
  const overhead = s.histograms.overheadUs;
  expect(overhead).toBeDefined();
  return mergeHistograms([overhead as EncodedHistogram]);
}

/** How many recorded values exceed `us` (to the histogram's precision). */
function countAbove(histogram: ReturnType<typeof mergeHistograms>, us: number): number {
  if (histogram.maxValue <= us) return 0;
  let lo = 0;
  let hi = 100;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (histogram.getValueAtPercentile(mid) > us) hi = mid;
    else lo = mid;
  }
  return Math.round((histogram.totalCount * (100 - hi)) / 100);
}

const SLEEP_US = 20_000;

describe('lambench run: measurement accuracy', () => {
  it('a 20 ms function reads as 20 ms plus the fixed cost of the invoke path', async () => {
    const results = await run('sleep');
    const sleeper = seriesOf(results, 'sleeper');
    const baseline = seriesOf(results, 'baseline');
    for (const s of [sleeper, baseline]) {
      expect(s.counters.arrivals).toBe(50);
      expect(s.counters.errors).toBe(0);
      // Warm after the first call (a call that arrives during a cold start starts another).
      expect(s.histograms.clientLatencyUs.warm?.summary.count).toBeGreaterThanOrEqual(40);
    }
    const warm = sleeper.histograms.clientLatencyUs.warm?.summary.p50 ?? 0;
    const duration = sleeper.histograms.durationUs.warm?.summary.p50 ?? 0;
    // Latency from the intended start can never undercut the work itself.
    expect(warm).toBeGreaterThanOrEqual(SLEEP_US);
    expect(duration).toBeGreaterThanOrEqual(SLEEP_US);
    // What the harness adds to a call (client latency − the function's own duration) is the same
    // whether the function sleeps or not: the invoke path's fixed cost. Compared as overheads, not
    // latencies, since a loaded machine wakes the function's own 20 ms timer late too (that is in
    // its duration, not in what the harness adds). Give or take 1.5 ms plus the machine's noise
    // measured in the same run: the baseline overhead's spread from p50 to p90.
    const sleeperOverhead = overheadOf(sleeper);
    const fixedCost = overheadOf(baseline);
    const noise = fixedCost.getValueAtPercentile(90) - fixedCost.getValueAtPercentile(50);
    expect(
      Math.abs(sleeperOverhead.getValueAtPercentile(50) - fixedCost.getValueAtPercentile(50)),
    ).toBeLessThanOrEqual(1_500 + noise);
    // And that fixed cost is a few milliseconds, not tens.
    expect(fixedCost.getValueAtPercentile(50)).toBeLessThan(10_000 + noise);
  });

  it('a service-wide 1 s stall shows in p99: latency runs from the intended start', async () => {
    const stallFile = join(work, 'stall-until');
    const results = await run('stall', [`functions.stall.environment.STALL_FILE=${stallFile}`]);
    const s = seriesOf(results, 'stall');
    expect(s.counters.arrivals).toBe(300);
    expect(s.counters.errors).toBe(0);
    const latency = allClientLatency(s);
    expect(latency.totalCount).toBe(300);
    expect(latency.getValueAtPercentile(99)).toBeGreaterThanOrEqual(800_000);
    // At 50/s, the ~50 arrivals of the stalled second waited for its end: dozens saw > 300 ms.
    const slow = countAbove(latency, 300_000);
    expect(slow).toBeGreaterThanOrEqual(24);
    // …and not because the harness fell behind: arrivals left on time.
    const scheduler = results.points[0]?.scheduler;
    expect(scheduler).toMatchObject({ scheduled: 300, started: 300, dropped: 0 });
    // A loaded machine can delay the harness too, but never by enough to explain the p99 above:
    // lag under half the stall means the slow calls waited for the function, not for the harness.
    expect(scheduler?.meanLagMs).toBeLessThan(50);
    expect(scheduler?.maxLagMs).toBeLessThan(500);
    // Outside the stall, calls are quick: the median is far below it.
    expect(latency.getValueAtPercentile(50)).toBeLessThan(100_000);
  });
});
