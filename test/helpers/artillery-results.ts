/**
 * A results file as `lambench run --engine artillery` writes it, without running Artillery: an
 * Artillery JSON report (counters and DDSketch summaries, as Artillery 2 writes them) converted by
 * lambench's own converter, with run.engine set as the run sets it.
 */
import { join } from 'node:path';
import {
  CONVERSION_NOTES,
  convertArtilleryReport,
  parseArtilleryReport,
} from '../../src/artillery/convert.js';
import { assembleResults, machineInfo, type Results } from '../../src/metrics/index.js';
import { loadScenario, planRun } from '../../src/scenario/index.js';

const SCENARIO = join(import.meta.dirname, '..', 'fixtures', 'artillery', 'uploads.yaml');

const summary = (scale: number, count: number) => ({
  count,
  min: 5 * scale,
  max: 90 * scale,
  mean: 20 * scale,
  p50: 10 * scale,
  median: 10 * scale,
  p75: 15 * scale,
  p90: 40 * scale,
  p95: 60 * scale,
  p99: 88 * scale,
  p999: 89 * scale,
});

export async function artilleryResults(): Promise<Results> {
  const scenario = await loadScenario(SCENARIO);
  const point = planRun(scenario).points[0];
  if (!point) throw new Error('no point');
  const report = parseArtilleryReport(
    JSON.stringify({
      aggregate: {
        counters: {
          'lambench.thumbs.1024.arrivals': 30,
          'lambench.thumbs.1024.attempts': 30,
          'lambench.thumbs.1024.invocations': 30,
          'lambench.thumbs.1024.cold_starts': 2,
          'lambench.thumbs.1024.outcome.succeeded': 30,
        },
        summaries: {
          'lambench.thumbs.1024.warm_latency': summary(1, 28),
          'lambench.thumbs.1024.cold_latency': summary(10, 2),
          'lambench.thumbs.1024.duration': summary(0.8, 30),
          'lambench.thumbs.1024.init_duration': summary(5, 2),
        },
      },
    }),
    'artillery-report.json',
  );
  const converted = convertArtilleryReport(report, scenario, point, {
    label: 'thumbs=1024MB',
    parameters: { 'thumbs.memoryMB': 1024 },
    durationMs: 3_000,
  });
  return assembleResults(
    {
      scenarioName: scenario.name,
      scenario,
      seed: scenario.seed,
      startedAt: '2025-01-02T03:04:05.000Z',
      endedAt: '2025-01-02T03:04:25.000Z',
      aborted: false,
      lambenchVersion: '0.1.0',
      nodeVersion: process.version,
      machine: machineInfo(),
      target: { kind: 'local', notes: ['functions ran in the emulator embedded in each Artillery worker'] },
      harness: { saturated: false, samples: [] },
      engine: {
        name: 'artillery',
        version: '2.0.21',
        command: 'artillery run',
        notes: [...CONVERSION_NOTES],
      },
    },
    [converted],
  );
}
