/**
 * The pure halves of `--engine artillery`: the Artillery script written for a scenario, the metric
 * names, and the conversion of an Artillery report back into a sweep point.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertArtilleryReport, parseArtilleryReport, rebuild } from '../../../src/artillery/convert.js';
import { parseSeriesMetric, seriesMetric } from '../../../src/artillery/metric-names.js';
import { artilleryArgs } from '../../../src/artillery/run-artillery.js';
import { artilleryScript } from '../../../src/artillery/script.js';
import { decodeHistogram } from '../../../src/metrics/index.js';
import { loadScenario, planRun } from '../../../src/scenario/index.js';
import { caughtInputError } from '../../helpers/input-error.js';

const SCENARIO = join(import.meta.dirname, '..', '..', 'fixtures', 'artillery', 'uploads.yaml');
const QUEUE = join(import.meta.dirname, '..', '..', 'fixtures', 'artillery', 'queue.yaml');

describe('artilleryScript', () => {
  it('carries the phases, the scenario file and the point memory into config.engines.lambench', async () => {
    // Prepare
    const scenario = await loadScenario(SCENARIO, {
      set: [
        'sources.uploads.load=[{duration: 1500ms, arrivalRate: 4, rampTo: 8}, {pause: 2s}, {duration: 5s, arrivalCount: 7}]',
      ],
    });
    const point = planRun(scenario).points[0];
    if (!point) throw new Error('no point');

    // Act
    const { script } = artilleryScript(scenario, point, { scenarioFile: scenario.file, set: ['a=1'] });

    // Assess
    expect(script.config.phases).toEqual([
      { duration: '1500ms', arrivalRate: 4, rampTo: 8 },
      { pause: 2 },
      { duration: 5, arrivalCount: 7 },
    ]);
    expect(script.config.engines.lambench).toEqual({
      scenario: scenario.file,
      set: ['a=1'],
      memory: { thumbs: 1024 },
    });
    expect(script.scenarios).toEqual([
      { name: 'uploads', engine: 'lambench', weight: 1000, flow: [{ lambench: { source: 'uploads' } }] },
    ]);
  });

  it('refuses a closed model with the field that holds it', async () => {
    // Prepare
    const scenario = await loadScenario(SCENARIO, {
      set: ['sources.uploads.load={concurrency: 2, duration: 2s}'],
    });
    const point = planRun(scenario).points[0];
    if (!point) throw new Error('no point');

    // Act
    const error = caughtInputError(() =>
      artilleryScript(scenario, point, { scenarioFile: scenario.file, set: [] }),
    );

    // Assess
    expect(error.message).toContain('sources.uploads.load: a closed model');
  });
});

describe('pull sources under Artillery', () => {
  it('refuse a shared Kinesis stream (every worker would read it), naming the field', async () => {
    // Prepare
    const scenario = await loadScenario(QUEUE, {
      set: ['sources.clicks.kinesis.endpoint=http://127.0.0.1:4567'],
    });
    const point = planRun(scenario).points[0];
    if (!point) throw new Error('no point');

    // Act
    const error = caughtInputError(() =>
      artilleryScript(scenario, point, { scenarioFile: 'q.yaml', set: [] }),
    );

    // Assess
    expect(error.message).toContain(
      'sources.clicks.kinesis.endpoint: under Artillery every worker runs its own event source mapping',
    );
  });

  it('run on the in-memory queue and stream, saying what holds per worker', async () => {
    const scenario = await loadScenario(QUEUE);
    const point = planRun(scenario).points[0];
    if (!point) throw new Error('no point');
    const { notes } = artilleryScript(scenario, point, { scenarioFile: 'q.yaml', set: [] });
    expect(notes.join(' ')).toContain('batching, ordering and the mapping');
  });
});

describe('metric names', () => {
  it('round-trip through parseSeriesMetric', () => {
    expect(parseSeriesMetric(seriesMetric('thumbs', 1024, 'outcome.dead-lettered'))).toEqual({
      functionName: 'thumbs',
      memoryMB: 1024,
      metric: 'outcome.dead-lettered',
    });
    expect(parseSeriesMetric('lambench.invocations')).toBeUndefined();
    expect(parseSeriesMetric('vusers.created')).toBeUndefined();
  });
});

describe('convertArtilleryReport', () => {
  it('counts from the counters, keeps Artillery summaries and marks rebuilt histograms', async () => {
    // Prepare
    const scenario = await loadScenario(SCENARIO);
    const point = planRun(scenario).points[0];
    if (!point) throw new Error('no point');
    const summary = {
      count: 10,
      min: 5,
      max: 90,
      mean: 20,
      p50: 10,
      p75: 15,
      p90: 40,
      p95: 60,
      p99: 88,
      p999: 88,
    };
    const report = parseArtilleryReport(
      JSON.stringify({
        aggregate: {
          counters: {
            'lambench.thumbs.1024.arrivals': 11,
            'lambench.thumbs.1024.attempts': 12,
            'lambench.thumbs.1024.invocations': 10,
            'lambench.thumbs.1024.cold_starts': 2,
            'lambench.thumbs.1024.errors': 2,
            'lambench.thumbs.1024.error.Unhandled': 2,
            'lambench.thumbs.1024.outcome.succeeded': 9,
            'lambench.thumbs.1024.outcome.failed': 1,
          },
          summaries: { 'lambench.thumbs.1024.warm_latency': summary },
        },
      }),
      'report.json',
    );

    // Act
    const converted = convertArtilleryReport(report, scenario, point, {
      label: '',
      parameters: {},
      durationMs: 1,
    });

    // Assess: the arrival without an outcome was cut short, so it is in flight
    const s = converted.series[0];
    expect(s?.counters).toMatchObject({
      arrivals: 11,
      attempts: 12,
      invocations: 10,
      coldStarts: 2,
      errorsByType: { Unhandled: 2 },
    });
    expect(s?.ledger.buckets).toMatchObject({ succeeded: 9, failed: 1, 'in-flight': 1 });
    expect(converted.ledger.balanced).toBe(true);
    const warm = s?.histograms.clientLatencyUs.warm;
    expect(warm?.approximation).toBe('artillery-summary');
    expect(warm?.summary).toMatchObject({ count: 10, p50: 10_000, p99: 88_000, max: 90_000 });
    expect(decodeHistogram(warm?.encoded ?? '').totalCount).toBe(10);
  });

  it('refuses a file that is not an Artillery report, naming it', () => {
    const error = caughtInputError(() => parseArtilleryReport('{"x": 1}', 'r.json'));
    expect(error.toLine()).toBe(
      'r.json: aggregate: expected an Artillery JSON report with aggregate.counters',
    );
  });
});

describe('rebuild', () => {
  it('gives back the summary percentiles from the encoded histogram, within HDR precision', () => {
    // Prepare
    const s = {
      count: 100_000,
      min: 1,
      max: 500,
      mean: 30,
      p50: 20,
      p75: 30,
      p90: 50,
      p95: 80,
      p99: 200,
      p999: 450,
    };

    // Act
    const h = decodeHistogram(rebuild(s, 'us').encoded);

    // Assess
    expect(h.totalCount).toBe(100_000);
    for (const [p, v] of [
      [50, 20],
      [90, 50],
      [99, 200],
    ] as const) {
      expect(Math.abs(h.getValueAtPercentile(p) - v * 1000) / (v * 1000)).toBeLessThan(0.02);
    }
  });
});

describe('artilleryArgs', () => {
  it('passes --count and --region through to the distributed commands only', () => {
    expect(artilleryArgs('artillery-fargate', 's.yaml', 'r.json', { count: 4, region: 'eu-west-1' })).toEqual(
      ['run-fargate', '--output', 'r.json', '--count', '4', '--region', 'eu-west-1', 's.yaml'],
    );
    expect(artilleryArgs('artillery-lambda', 's.yaml', 'r.json', { count: 2 })[0]).toBe('run-lambda');
    expect(
      caughtInputError(() => artilleryArgs('artillery', 's.yaml', 'r.json', { count: 2 })).message,
    ).toContain('--count applies to --engine artillery-fargate|artillery-lambda only');
    // Locally --region is the aws target's (written into the script), not Artillery's.
    expect(artilleryArgs('artillery', 's.yaml', 'r.json', { region: 'eu-west-1' })).toEqual([
      'run',
      '--output',
      'r.json',
      's.yaml',
    ]);
  });
});
