/** planRun: sweep expansion (cartesian product), expected events and durations, and its text. */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatPlan, loadScenario, loadScenarioText, planRun } from '../../../src/scenario/index.js';
import { pointLabel, pointParameters } from '../../../src/scenario/plan.js';

const GOOD = path.resolve('test/fixtures/scenarios/good');
const load = (text: string, set: string[] = []) =>
  loadScenarioText(text, path.join(GOOD, 'inline.yaml'), { set });

const TWO_SWEEPS = `
name: sweeps
run: { grace: 2s }
functions:
  a: { handler: ../functions/hello/index.handler, memory: [128, 256, 512] }
  b: { handler: ../functions/hello/index.handler, memory: [1GB, 2GB] }
  c: { handler: ../functions/hello/index.handler, memory: [128, 10240] }
sources:
  one:
    invoke: {}
    to: [a, b]
    load:
      - { duration: 10s, arrivalRate: 2 }
      - { duration: 20s, arrivalRate: 0, rampTo: 10 }
      - { pause: 5s }
      - { duration: 1s, arrivalCount: 9 }
  two:
    apigateway: {}
    to: b
    load: [{ duration: 1m, arrivalRate: 1 }]
`;

describe('planRun', () => {
  test('list-valued memory of invoked functions is a sweep: the cartesian product, last varying fastest', () => {
    const plan = planRun(load(TWO_SWEEPS));

    expect(plan.dimensions.map((d) => [d.field, d.values])).toEqual([
      ['functions.a.memory', [128, 256, 512]],
      ['functions.b.memory', [1024, 2048]],
    ]);
    expect(plan.points.map((p) => p.memoryMB)).toEqual([
      { a: 128, b: 1024 },
      { a: 128, b: 2048 },
      { a: 256, b: 1024 },
      { a: 256, b: 2048 },
      { a: 512, b: 1024 },
      { a: 512, b: 2048 },
    ]);
    // c is invoked by no source: its list does not multiply the runs.
    expect(plan.notes).toContain('function c is not invoked by any source; it is not run');
  });

  test('expected events and durations per source, per point and in total', () => {
    const plan = planRun(load(TWO_SWEEPS));

    // 10 s × 2/s + a 0→10/s ramp over 20 s (100) + pause + 9 counted = 129 over 36 s.
    expect(plan.sources.map((s) => [s.name, s.expectedEvents, s.durationMs, s.invocation])).toEqual([
      ['one', 129, 36_000, 'sync'],
      ['two', 60, 60_000, 'sync'],
    ]);
    expect(plan.perPoint).toEqual({ durationMs: 60_000, graceMs: 2000, expectedEvents: 189 });
    expect(plan.total).toEqual({
      points: 6,
      durationMs: 360_000,
      maxDurationMs: 372_000,
      expectedEvents: 1134,
      exact: true,
    });
  });

  test('a single setting is one point; a closed model makes the event count open-ended', () => {
    const plan = planRun(
      load(`
name: closed
functions:
  f: { handler: ../functions/hello/index.handler, memory: 256 }
sources:
  vu:
    alexa: {}
    to: f
    load: { concurrency: 3, duration: 45s }
  s3:
    s3: {}
    to: f
    load: [{ duration: 10s, arrivalRate: 1 }]
`),
    );
    expect(plan.points).toEqual([{ index: 0, memoryMB: { f: 256 }, mapping: {} }]);
    expect(plan.sources.map((s) => [s.name, s.expectedEvents, s.durationMs, s.invocation])).toEqual([
      ['vu', undefined, 45_000, 'sync'],
      ['s3', 10, 10_000, 'async'],
    ]);
    expect(plan.total).toMatchObject({ points: 1, durationMs: 45_000, expectedEvents: 10, exact: false });
  });

  test('--set can turn a single memory into a sweep, and --duration-scale shortens the plan', async () => {
    const file = path.join(GOOD, 'basic.yaml');
    const plan = planRun(
      await loadScenario(file, { set: ['functions.hello.memory=[128, 512]'], durationScale: 0.5 }),
    );
    expect(plan.points).toHaveLength(2);
    expect(plan.total).toMatchObject({ durationMs: 10_000, expectedEvents: 50 });
  });
});

describe('formatPlan', () => {
  test('prints the sweep points, each source with its load and expectation, totals and notes', async () => {
    const text = formatPlan(planRun(await loadScenario(path.join(GOOD, 'photo-pipeline.yaml'))));

    expect(text).toContain('Scenario photo-pipeline');
    expect(text).toContain('functions.thumbnailer.memory: 256, 512, 1024, 1769 MB');
    expect(text).toContain('#4  thumbnailer 1769 MB, views 512 MB');
    expect(text).toContain('uploads: s3 s3:ObjectCreated:Put → thumbnailer (async)');
    expect(text).toContain('poisson arrivals: warm-up: 30s ramp 5→100/s; 2m at 100/s; pause 5s; 20 over 10s');
    // 30 s ramp 5→100 (1575) + 2 min at 100/s (12,000) + 20 counted = 13,595.
    expect(text).toContain('expected: 13,595 events over 2m45s');
    expect(text).toContain('Total: 4 points, 11m (at most 11m20s with grace), 78,380 events');
    expect(text).toContain('1 threshold(s) checked after the run: thumbnailer.latency.p99 < 800ms');
    expect(text).toContain('writes report.html next to results.json');
  });

  test('lists skipped template events and closed-model sources', async () => {
    const sam = formatPlan(planRun(await loadScenario(path.join(GOOD, 'sam.yaml'))));
    expect(sam).toContain('Api.Clicks: kinesis → Api (poll) [template Api.Clicks (Kinesis)]');
    const noLoad = formatPlan(
      planRun(
        load(
          'name: no-load\ntemplate: ../sam/template.yaml\nsources:\n  Api.List:\n    load: [{ duration: 5s, arrivalRate: 1 }]\n',
        ),
      ),
    );
    expect(noLoad).toContain(
      'Skipped template events:\n  Thumbnailer.Upload (S3): no load: add sources["Thumbnailer.Upload"].load or a templateLoad',
    );
    const all = formatPlan(planRun(await loadScenario(path.join(GOOD, 'all-sources.yaml'))));
    expect(all).toContain('closed model: 4 concurrent for 20s, think 500ms');
    expect(all).toContain('expected: events depend on latency over 20s');
    expect(all).toContain('+ closed-model events');
  });
});

const MAPPING_SWEEP = `
name: batch-sweep
functions:
  consumer: { handler: ../functions/hello/index.handler, memory: [128, 512] }
sources:
  clicks:
    kinesis: { stream: clicks, shards: 4 }
    to: consumer
    load: [{ duration: 10s, arrivalRate: 100 }]
    mapping: { batchSize: [10, 100, 500], batchingWindow: [0s, 1s], parallelizationFactor: 2 }
  orders:
    sqs: {}
    to: consumer
    load: [{ duration: 10s, arrivalRate: 5 }]
`;

describe('planRun with event source mappings', () => {
  test('batchSize and batchingWindow lists are sweep dimensions like memory; single settings are fixed', () => {
    // Act
    const plan = planRun(load(MAPPING_SWEEP));

    // Assess
    expect(plan.dimensions.map((d) => [d.field, d.setting, d.values])).toEqual([
      ['functions.consumer.memory', 'memoryMB', [128, 512]],
      ['sources.clicks.mapping.batchSize', 'batchSize', [10, 100, 500]],
      ['sources.clicks.mapping.batchingWindow', 'batchingWindowMs', [0, 1000]],
    ]);
    expect(plan.points).toHaveLength(12);
    expect(plan.points[3]).toEqual({
      index: 3,
      memoryMB: { consumer: 128 },
      mapping: {
        clicks: { batchSize: 100, batchingWindowMs: 1000, parallelizationFactor: 2 },
        // SQS defaults: batch 10, no window.
        orders: { batchSize: 10, batchingWindowMs: 0, parallelizationFactor: 1 },
      },
    });
    expect(plan.sources.map((s) => [s.name, s.invocation, s.expectedEvents])).toEqual([
      ['clicks', 'poll', 1000],
      ['orders', 'poll', 50],
    ]);
    expect(pointParameters(plan.points[3]!)).toMatchObject({
      'consumer.memoryMB': 128,
      'clicks.batchSize': 100,
      'clicks.batchingWindowMs': 1000,
      'orders.batchSize': 10,
    });
    expect(pointLabel(plan.points[3]!, plan.dimensions)).toBe(
      'consumer=128MB clicks.batchSize=100 clicks.batchingWindow=1000ms',
    );
  });

  test('the dry-run text shows the mapping dimensions and each point', () => {
    const text = formatPlan(planRun(load(MAPPING_SWEEP)));

    expect(text).toContain('sources.clicks.mapping.batchSize: 10, 100, 500');
    expect(text).toContain('sources.clicks.mapping.batchingWindow: 0ms, 1s');
    expect(text).toContain(
      '#12  consumer 512 MB, clicks batch 500, window 1s, parallelization 2, orders batch 10, window 0ms, parallelization 1',
    );
    expect(text).toContain('clicks: kinesis → consumer (poll)');
  });
});
