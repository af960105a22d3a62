/**
 * The sweep analysis on synthetic runs with known answers: a CPU-bound function whose duration
 * falls with memory up to 1,769 MB and flattens after, and an out-of-memory failure at 128 MB.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSweep } from '../../../src/cost/analyze-sweep.js';
import { seededRandom } from '../../../src/load/prng.js';
import { createRecorder } from '../../../src/metrics/recorder.js';
import type { PointResults } from '../../../src/metrics/results-schema.js';
import { formatSweepTable } from '../../../src/report/sweep-table.js';
import { DEFAULT_SWEEP_ORDER } from '../../../src/scenario/sweep-order.js';
import { FakeClock } from '../load/fake-clock.js';
import { attempt, outcome, sampleResults } from '../metrics/helpers.js';

/** Median warm duration (ms) by memory: 1/CPU share below 1,769 MB, flat above. */
const MEDIAN_MS: Record<number, number> = { 256: 240, 512: 110, 1024: 60, 1769: 30, 3008: 30 };

function point(memoryMB: number, medianMs: number, n: number, seed: number, oom = false): PointResults {
  const clock = new FakeClock();
  const random = seededRandom(seed);
  const key = { source: 'calls', functionName: 'primes', qualifier: `mem-${memoryMB}`, memoryMB };
  const rec = createRecorder({
    clock,
    label: `primes=${memoryMB}MB`,
    parameters: { 'primes.memoryMB': memoryMB, repeat: 1, phase: 'load' },
  });
  for (let id = 0; id < n; id++) {
    const cold = id === 0;
    const ms =
      medianMs * Math.exp(0.05 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
    const start = id * 1000;
    rec.arrival(key, id, start);
    rec.attempt(
      attempt(key, id, start, start + ms + (cold ? 150 : 0) + 1, {
        status: oom ? 'out-of-memory' : 'ok',
        cold,
        ...(oom ? { errorType: 'Runtime.OutOfMemory' } : {}),
        durationMs: ms,
        billedDurationMs: Math.ceil(ms + (cold ? 150 : 0)),
        maxMemoryUsedMB: oom ? memoryMB : 48,
        ...(cold ? { initDurationMs: 150 } : {}),
      }),
    );
    rec.outcome(
      outcome(
        key,
        id,
        oom ? 'failed' : 'succeeded',
        start,
        start + ms + 1,
        oom ? 'Runtime.OutOfMemory' : undefined,
      ),
    );
  }
  return rec.finish({});
}

function run(): ReturnType<typeof sampleResults> {
  const points = [
    point(128, 500, 20, 1, true),
    ...Object.entries(MEDIAN_MS).map(([mb, ms], i) => point(Number(mb), ms, 60, i + 2)),
  ];
  return sampleResults(points);
}

const schedule = { ...DEFAULT_SWEEP_ORDER, order: 'interleaved' as const };

describe('analyzeSweep', () => {
  it('speed: recommends the cheapest setting not significantly slower than the fastest, with evidence', () => {
    const sweep = analyzeSweep(run(), { strategy: 'speed', percentile: 'p90', schedule });
    expect(sweep?.functionName).toBe('primes');
    expect(sweep?.settings.map((s) => s.memoryMB)).toEqual([128, 256, 512, 1024, 1769, 3008]);
    expect(sweep?.recommendation?.memoryMB).toBe(1769);
    const at = (mb: number) => sweep?.settings.find((s) => s.memoryMB === mb);
    // 128 MB ran out of memory on every call: failed, with the reason, and the sweep went on.
    expect(at(128)?.failed).toBe(true);
    expect(at(128)?.reason).toBe('Runtime.OutOfMemory in 20 of 20 invocations');
    expect(at(128)?.verdict).toMatch(/^failed: Runtime.OutOfMemory/);
    // Below one vCPU every setting is significantly slower; 3,008 MB is indistinguishable.
    for (const mb of [256, 512, 1024]) expect(at(mb)?.comparison?.verdict).toBe('higher');
    const fastest = sweep?.recommendation?.fastestMemoryMB;
    const other = fastest === 1769 ? 3008 : 1769;
    expect(at(other)?.comparison?.verdict).toBe('indistinguishable');
    expect(at(256)?.comparison?.rankBiserial).toBeCloseTo(1, 5);
    expect(at(256)?.comparison?.pValue).toBeLessThan(1e-6);
    expect(sweep?.recommendation?.summary).toMatch(/^Recommended: 1769 MB \(speed \(p90\)\)/);
    // Cost per million: 1,769 MB × ~30 ms; INIT billed on the one cold start; requests.
    const c = at(1769)?.costs[0];
    expect(c?.perMillionUsd).toBeGreaterThan(0.2);
    expect(c?.initUsd).toBeGreaterThan(0);
    expect(at(1769)?.coldRate).toBeCloseTo(1 / 60, 9);
    expect(at(1769)?.initP50Us).toBeCloseTo(150_000, -2); // within the 0.1% bucket
    expect(at(1769)?.pareto).toBe(true);
    expect(at(256)?.pareto).toBe(false);
  });

  it('cost: the cheapest per million; constraints rule settings out', () => {
    const cheapest = analyzeSweep(run(), { strategy: 'cost', percentile: 'p90', schedule });
    const costs =
      cheapest?.settings
        .filter((s) => !s.failed)
        .map((s) => [s.memoryMB, s.costs[0]?.perMillionUsd ?? 0] as const) ?? [];
    const min = costs.reduce((a, b) => (b[1] < a[1] ? b : a));
    expect(cheapest?.recommendation?.memoryMB).toBe(min[0]);

    const bounded = analyzeSweep(run(), {
      strategy: 'cost',
      percentile: 'p90',
      schedule,
      maxLatency: { percentile: 'p99', us: 80_000 },
      maxCostPerMillion: (min[1] + 0.0001) * 1.5,
    });
    const at = (mb: number) => bounded?.settings.find((s) => s.memoryMB === mb);
    expect(at(256)?.meetsConstraints).toBe(false);
    expect(at(256)?.reason).toBe('violates p99 < 80.0 ms');
    expect(at(3008)?.meetsConstraints).toBe(false);
    expect(at(3008)?.verdict).toMatch(/^violates cost per 1M/);
  });

  it('balanced with weight 0 picks the fastest; arm64 is priced on request with a plain note', () => {
    const sweep = analyzeSweep(run(), {
      strategy: 'balanced',
      percentile: 'p50',
      weight: 0,
      schedule,
      architectures: ['x86_64', 'arm64'],
    });
    expect(sweep?.recommendation?.memoryMB).toBe(sweep?.recommendation?.fastestMemoryMB);
    const s = sweep?.settings.find((x) => x.memoryMB === 1024);
    expect(s?.costs.map((c) => c.architecture)).toEqual(['x86_64', 'arm64']);
    expect(s?.costs[1]?.perMillionUsd).toBeLessThan(s?.costs[0]?.perMillionUsd ?? 0);
    expect(sweep?.notes.join('\n')).toMatch(/arm64 speed cannot be emulated locally/);
  });

  it('prints the table: a row per setting and the recommendation line', () => {
    const sweep = analyzeSweep(run(), { strategy: 'speed', percentile: 'p90', schedule });
    if (!sweep) throw new Error('no sweep');
    const text = formatSweepTable(sweep);
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('memory'))).toMatch(
      /warm p50 +p90 +p99 +cold +init p50 +mem used +\$ per 1M +verdict/,
    );
    expect(lines.find((l) => l.startsWith('128 MB'))).toMatch(
      /128\/128 MB .*failed: Runtime.OutOfMemory in 20 of 20/,
    );
    expect(lines.find((l) => l.startsWith('1769 MB'))).toMatch(/← recommended$/);
    expect(lines.find((l) => l.startsWith('Recommended: 1769 MB'))).toMatch(/Mann-Whitney p|fastest setting/);
  });

  it('a setting whose every call outlasted its point says so, not that nothing reached the function', () => {
    const clock = new FakeClock();
    const key = { source: 'calls', functionName: 'primes', qualifier: 'mem-128', memoryMB: 128 };
    const slow = createRecorder({
      clock,
      label: 'primes=128MB',
      parameters: { 'primes.memoryMB': 128, repeat: 1, phase: 'load' },
    });
    slow.arrival(key, 0, 0); // its call never ended within the point
    const results = sampleResults([slow.finish({}), point(256, 240, 60, 2)]);
    const sweep = analyzeSweep(results, { strategy: 'speed', percentile: 'p90', schedule });
    const at128 = sweep?.settings.find((s) => s.memoryMB === 128);
    expect(at128?.failed).toBe(true);
    expect(at128?.reason).toBe(
      'no invocation finished: 1 still running when the grace ran out (raise run.grace)',
    );
    expect(sweep?.recommendation?.memoryMB).toBe(256);
  });
});
