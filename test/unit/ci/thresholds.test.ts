import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../../src/ci/threshold-syntax.js';
import { compare, evaluateResultsThresholds, evaluateThreshold } from '../../../src/ci/thresholds.js';
import { createHistogram, encodeHistogram } from '../../../src/metrics/histogram.js';
import { samplePoint, sampleResults } from '../metrics/helpers.js';

// sampleResults: function "resize" at 128 MB (3× slower) and 1024 MB. Per point: 199 attempts,
// 4 throttled, 195 invocations, 4 function errors, 2 cold starts (400 ms × slowdown), warm
// latency 20–29 ms × slowdown, memory used 60–64 MB, 1 arrival dropped by the harness.
const results = sampleResults();
const check = (text: string) => evaluateThreshold(results, parseThreshold(text));

describe('evaluateThreshold', () => {
  it('checks a function threshold at every sweep point and fails if any point fails', () => {
    const outcome = check('resize.latency.warm.p99 < 50ms');
    expect(outcome.checks.map((c) => [c.where, c.passed])).toEqual([
      ['memory=128 resize', false],
      ['memory=1024 resize', true],
    ]);
    expect(outcome.passed).toBe(false);
    expect(outcome.checks[0]?.actual).toBe('87.0 ms');
    expect(check('resize@1024.latency.warm.p99 < 50ms')).toMatchObject({
      passed: true,
      checks: [{ passed: true }],
    });
  });

  it.each([
    ['errors.rate < 2%', false], // 4 / 199 = 2.01%
    ['errors.rate < 2.1%', true],
    ['errors.rate <= 2.0101%', true],
    ['errors.count == 4', true],
    ['errors.count != 4', false],
    ['coldStarts.rate > 1%', true], // 2 / 195
    ['coldStarts.rate >= 1.02%', true],
    ['coldStarts.rate >= 1.1%', false],
    ['throttles.count == 4', true],
    ['invocations.count == 195', true],
    ['dropped.count == 5', true], // 4 throttled with no retry + 1 harness drop
    ['dropped.rate < 2.6%', true], // 5 / 200
    ['dropped.rate < 2.5%', false],
    ['memoryUsed.max <= 64MB', true],
    ['memoryUsed.max < 64MB', false],
    ['resize.latency.max < 1.3s', true], // 1200 ms cold start at 128 MB
    ['resize.latency.max < 1s', false],
    ['initDuration.p50 > 300ms', true],
    ['latency.cold.count == 2', true],
    ['throughput.mean > 70', true], // 195 invocations over 2.5 s
    ['throughput.mean > 80', false],
    // 195 requests at $0.20/1M plus ~195 × 25 ms × 1 GB at $0.0000166667/GB-s, per 1M: about $0.6.
    ['resize@1024.cost.per1M > $0.3', true],
    ['resize@1024.cost.per1M < $1', true],
  ])('%s → %s', (text, passed) => {
    expect(check(text).passed).toBe(passed);
  });

  it('reads run-wide true/false checks once', () => {
    expect(check('harness.clean').checks).toEqual([
      { where: '', passed: true, actual: 'true', actualValue: true },
    ]);
    expect(check('!run.aborted').passed).toBe(true);
    expect(check('run.aborted').passed).toBe(false);
    expect(check('ledger.balanced').passed).toBe(true);
    const saturated = sampleResults([samplePoint(512)]);
    saturated.run.harness.saturated = true;
    expect(evaluateThreshold(saturated, parseThreshold('harness.clean')).passed).toBe(false);
  });

  it('prefers the harness verdict when the file carries one', () => {
    const withVerdict = sampleResults([samplePoint(512)]);
    (withVerdict.run.harness as Record<string, unknown>).verdict = {
      clean: false,
      reasons: ['1 stall of 1.2 s'],
      stalls: [{ atEpochMs: 1, durationMs: 1200 }],
      lateArrivals: { count: 3 },
    };
    expect(evaluateThreshold(withVerdict, parseThreshold('harness.clean')).passed).toBe(false);
    expect(evaluateThreshold(withVerdict, parseThreshold('harness.stalls == 0')).passed).toBe(false);
    expect(evaluateThreshold(withVerdict, parseThreshold('harness.stalls == 1')).passed).toBe(true);
  });

  it('fails a threshold on a metric the results do not carry, saying why', () => {
    const noStreams = check('iteratorAge.max < 5s');
    expect(noStreams.passed).toBe(false);
    expect(noStreams.checks[0]?.missing).toBe('no iteratorAge values were recorded');
    expect(check('batchSize.mean > 1').checks[0]?.missing).toMatch(/no batch sizes/);
    const unknownFn = check('thumbnailer.latency.p99 < 1s');
    expect(unknownFn).toMatchObject({
      passed: false,
      checks: [{ missing: 'no series of thumbnailer in the results' }],
    });
    const noValues = evaluateThreshold(
      sampleResults([samplePoint(512)]),
      parseThreshold('rejectedLatency.p99 < 1s'),
    );
    expect(noValues.passed).toBe(true); // throttles were recorded, so it exists
    const empty = sampleResults([samplePoint(512)]);
    for (const s of empty.points[0]?.series ?? []) delete s.histograms.initDurationUs;
    expect(evaluateThreshold(empty, parseThreshold('initDuration.p99 < 1s')).checks[0]?.missing).toBe(
      'no initDuration values were recorded',
    );
  });

  it('evaluates the thresholds a results file declares, failing unparsable ones', () => {
    const r = sampleResults();
    r.run.scenario = {
      expect: [
        'errors.rate < 5%',
        { expression: 'resize.latency.p50 < 1ms', abortOnFail: true },
        'nonsense <',
      ],
    };
    const outcomes = evaluateResultsThresholds(r);
    expect(outcomes.map((o) => [o.expression, o.passed])).toEqual([
      ['errors.rate < 5%', true],
      ['resize.latency.p50 < 1ms', false],
      ['nonsense <', false],
    ]);
    expect(outcomes[2]?.checks[0]?.missing).toMatch(/unknown metric/);
  });
});

describe('stream metrics', () => {
  it('reads IteratorAge and batch sizes of pull sources', () => {
    const r = sampleResults([samplePoint(512)]);
    const series = r.points[0]?.series[0];
    if (!series) throw new Error('no series');
    const ages = createHistogram('us');
    for (const ms of [100, 200, 300, 4000]) ages.recordValue(ms * 1000);
    series.key.functionName = 'views';
    series.stream = {
      kind: 'kinesis',
      settings: {
        batchSize: 100,
        batchingWindowMs: 0,
        parallelizationFactor: 1,
        shards: 2,
        bisectBatchOnFunctionError: false,
        maximumRetryAttempts: -1,
        maximumRecordAgeMs: -1,
        reportBatchItemFailures: false,
        tumblingWindowMs: 0,
        filters: 0,
        backend: 'memory',
      },
      records: {
        put: 10,
        putThrottled: 0,
        filtered: 0,
        processed: 10,
        sentToDestination: 0,
        discarded: 0,
        expired: 0,
        inStream: 0,
        balanced: true,
      },
      recordsRetried: 0,
      bisections: 0,
      batches: 4,
      batchSizes: { '1': 1, '3': 3 },
      perSecond: [],
      iteratorAgeUs: encodeHistogram(ages, 'us'),
    };
    const at = (text: string) => evaluateThreshold(r, parseThreshold(text));
    expect(at('views.iteratorAge.max < 5s')).toMatchObject({ passed: true, checks: [{ actual: '4.00 s' }] });
    expect(at('views.iteratorAge.max < 4s').passed).toBe(false);
    expect(at('iteratorAge.p50 < 201ms').passed).toBe(true); // 200 ms to the histogram's 0.1%
    expect(at('batchSize.mean == 2.5').passed).toBe(true); // (1 + 9) records / 4 batches
    expect(at('batchSize.max == 3').passed).toBe(true);
  });
});

describe('compare', () => {
  it.each([
    [1, '<', 2, true],
    [2, '<', 2, false],
    [2, '<=', 2, true],
    [3, '>', 2, true],
    [2, '>', 2, false],
    [2, '>=', 2, true],
    [0.1 + 0.2, '==', 0.3, true],
    [0.3, '!=', 0.3, false],
    [0.31, '!=', 0.3, true],
  ] as const)('%d %s %d is %s', (a, op, b, want) => {
    expect(compare(a, op, b)).toBe(want);
  });
});
