import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/core/errors.js';
import { decodeHistogram } from '../../../src/metrics/histogram.js';
import { createRecorder, LedgerImbalanceError } from '../../../src/metrics/recorder.js';
import { HARNESS_DROP_REASON } from '../../../src/metrics/types.js';
import { FakeClock } from '../load/fake-clock.js';
import { attempt, keyA, keyB, outcome } from './helpers.js';

/** Within HDR's 3-significant-digit resolution (0.1%). */
const near = (actual: number | null | undefined, expected: number) =>
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(expected * 0.001 + 1);

describe('recorder counters and histograms', () => {
  it('splits cold and warm, and keeps throttles out of invocations and client latency', () => {
    const clock = new FakeClock();
    const rec = createRecorder({ clock, label: 'memory=512', parameters: { memoryMB: 512 } });
    rec.arrival(keyA, 1, 0);
    rec.attempt(
      attempt(keyA, 1, 0, 900, {
        cold: true,
        durationMs: 120.4,
        billedDurationMs: 721,
        initDurationMs: 600.2,
        maxMemoryUsedMB: 80,
      }),
    );
    rec.outcome(outcome(keyA, 1, 'succeeded', 0, 900));
    for (let id = 2; id <= 5; id++) {
      rec.arrival(keyA, id, id * 10);
      rec.attempt(
        attempt(keyA, id, id * 10, id * 10 + 25, {
          durationMs: 20,
          billedDurationMs: 20,
          maxMemoryUsedMB: 82,
        }),
      );
      rec.outcome(outcome(keyA, id, 'succeeded', id * 10, id * 10 + 25));
    }
    rec.arrival(keyA, 6, 100);
    rec.attempt(attempt(keyA, 6, 100, 102, { status: 'throttled', errorType: 'TooManyRequestsException' }));
    rec.outcome(outcome(keyA, 6, 'dropped', 100, 102, 'throttled'));
    clock.stall(2000);
    const point = rec.finish();
    expect(point.label).toBe('memory=512');
    expect(point.parameters).toEqual({ memoryMB: 512 });
    const [series] = point.series;
    expect(series?.counters).toMatchObject({
      arrivals: 6,
      attempts: 6,
      invocations: 5,
      coldStarts: 1,
      throttles: 1,
      errors: 0,
    });
    expect(series?.counters.droppedByReason).toEqual({ throttled: 1 });
    const h = series?.histograms;
    expect(h?.clientLatencyUs.cold?.summary).toMatchObject({ count: 1, max: 900_000 });
    expect(h?.clientLatencyUs.warm?.summary).toMatchObject({ count: 4, min: 25_000, max: 25_000 });
    near(h?.clientLatencyUs.warm?.summary.p50, 25_000);
    expect(h?.rejectedLatencyUs?.summary).toMatchObject({ count: 1, max: 2000 });
    expect(h?.durationUs.cold?.summary.max).toBe(120_400);
    expect(h?.billedDurationUs.cold?.summary.max).toBe(721_000);
    expect(h?.initDurationUs?.summary).toMatchObject({ count: 1, max: 600_200 });
    expect(h?.maxMemoryUsedMB.warm?.summary).toMatchObject({ count: 4, max: 82 });
    expect(h?.maxMemoryUsedMB.warm?.unit).toBe('MB');
    // End-to-end is per handled arrival: the dropped one has none.
    expect(h?.endToEndLatencyUs?.summary.count).toBe(5);
    // Overhead is warm latency minus duration: 25 ms − 20 ms, for the 4 warm invokes only.
    expect(h?.overheadUs?.summary).toMatchObject({ count: 4, min: 5000, max: 5000 });
    expect(decodeHistogram(h?.clientLatencyUs.warm?.encoded ?? '').totalCount).toBe(4);
    expect(point.durationMs).toBe(2000);
  });

  it('counts errors by type, timeouts, out-of-memory, service errors, HTTP statuses, retries and filtered', () => {
    const rec = createRecorder({ clock: new FakeClock() });
    rec.arrival(keyA, 1, 0);
    rec.attempt(
      attempt(keyA, 1, 0, 10, { status: 'function-error', errorType: 'TypeError' }, { httpStatus: 502 }),
    );
    rec.retry(keyA, 1, 'TypeError');
    rec.attempt(
      attempt(keyA, 1, 60_000, 60_010, { status: 'timeout', errorType: 'Sandbox.Timedout' }, { attempt: 2 }),
    );
    rec.retry(keyA, 1, 'Sandbox.Timedout');
    rec.attempt(
      attempt(keyA, 1, 180_000, 180_010, { status: 'out-of-memory', errorType: 'Runtime.OutOfMemory' }),
    );
    rec.outcome(outcome(keyA, 1, 'dead-lettered', 0, 180_010, 'Runtime.OutOfMemory'));
    rec.arrival(keyA, 2, 0);
    rec.attempt(attempt(keyA, 2, 0, 5, { status: 'service-error' }, { httpStatus: 500 }));
    rec.outcome(outcome(keyA, 2, 'failed', 0, 5));
    rec.filtered(keyB, 7);
    const point = rec.finish();
    const a = point.series.find((s) => s.key.source === 's3')?.counters;
    expect(a).toMatchObject({
      attempts: 4,
      invocations: 3,
      errors: 4,
      timeouts: 1,
      outOfMemory: 1,
      serviceErrors: 1,
      retries: 2,
    });
    expect(a?.errorsByType).toEqual({
      TypeError: 1,
      'Sandbox.Timedout': 1,
      'Runtime.OutOfMemory': 1,
      'service-error': 1,
    });
    expect(a?.httpStatuses).toEqual({ '502': 1, '500': 1 });
    const b = point.series.find((s) => s.key.source === 'sns');
    expect(b?.counters.filtered).toBe(1);
    expect(b?.ledger).toEqual({ arrivals: 0, buckets: expect.any(Object), balanced: true });
    expect(point.ledger.balanced).toBe(true);
  });

  it('counts the 504 of an integration timeout once, from the outcome, and the late call as invoked', () => {
    const rec = createRecorder({ clock: new FakeClock() });
    rec.arrival(keyA, 1, 0);
    rec.outcome({ ...outcome(keyA, 1, 'failed', 0, 29_000, 'IntegrationTimeout'), httpStatus: 504 });
    rec.attempt({
      ...attempt(keyA, 1, 0, 31_000, { status: 'ok', durationMs: 30_900, billedDurationMs: 30_900 }),
      answeredAfterIntegrationTimeout: true,
    });
    rec.arrival(keyA, 2, 0);
    rec.attempt(attempt(keyA, 2, 0, 10, { status: 'ok', durationMs: 8 }, { httpStatus: 200 }));
    rec.outcome(outcome(keyA, 2, 'succeeded', 0, 10));
    const s = rec.finish().series[0];
    expect(s?.counters.httpStatuses).toEqual({ '504': 1, '200': 1 });
    expect(s?.counters.answeredAfterIntegrationTimeout).toBe(1);
    expect(s?.counters.invocations).toBe(2);
    expect(s?.counters.errors).toBe(0);
    expect(s?.histograms.billedDurationUs.warm?.summary.max).toBe(30_900_000);
    // The client had its answer at the timeout: that is the arrival's end-to-end latency.
    expect(s?.histograms.endToEndLatencyUs?.summary.max).toBe(29_000_000);
  });

  it('keeps why arrivals did not succeed, per bucket, with a bound on distinct reasons', () => {
    const rec = createRecorder({ clock: new FakeClock() });
    const end = (id: number, bucket: Parameters<typeof outcome>[2], reason?: string) => {
      rec.arrival(keyA, id, 0);
      rec.outcome(outcome(keyA, id, bucket, 0, 10, reason));
    };
    end(1, 'failed', 'FAILED: bucket exists');
    end(2, 'failed', 'FAILED: bucket exists');
    end(3, 'dead-lettered', 'Error');
    end(4, 'succeeded');
    end(5, 'expired');
    for (let id = 100; id < 160; id++) end(id, 'failed', `FAILED: request ${id}`);
    const counters = rec.finish().series[0]?.counters;
    const failed = counters?.outcomeReasons.failed ?? {};
    expect(failed['FAILED: bucket exists']).toBe(2);
    expect(Object.keys(failed)).toHaveLength(51); // 50 distinct reasons, then one catch-all
    expect(failed['other reasons']).toBe(60 - 49);
    expect(counters?.outcomeReasons['dead-lettered']).toEqual({ Error: 1 });
    expect(counters?.outcomeReasons.expired).toEqual({ unspecified: 1 });
    expect(counters?.outcomeReasons.succeeded).toBeUndefined();
  });

  it('ignores records that arrive after the point was closed', () => {
    const rec = createRecorder({ clock: new FakeClock() });
    rec.arrival(keyA, 1, 0);
    const point = rec.finish();
    // A call still running at the close ends later, when its environment is stopped.
    rec.attempt(attempt(keyA, 1, 0, 50, { status: 'function-error', errorType: 'Runtime.ExitError' }));
    rec.outcome(outcome(keyA, 1, 'failed', 0, 50, 'Runtime.ExitError'));
    rec.arrival(keyA, 2, 60);
    expect(rec.finish()).toBe(point);
    expect(point.ledger.buckets['in-flight']).toBe(1);
    expect(point.series[0]?.counters.errors).toBe(0);
    expect(rec.snapshot().arrivals).toBe(1);
  });

  it('keeps a per-second series with counts and p50/p99 of client latency', () => {
    const rec = createRecorder({ clock: new FakeClock() });
    let id = 0;
    for (const [second, latencyMs, n] of [
      [0, 10, 100],
      [1, 50, 100],
      [3, 200, 10],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const start = second * 1000 + i;
        rec.arrival(keyA, ++id, start);
        rec.attempt(attempt(keyA, id, start, start + latencyMs, { cold: i === 0 }));
        rec.outcome(outcome(keyA, id, 'succeeded', start, start + latencyMs));
      }
    }
    const rows = rec.finish().series[0]?.perSecond ?? [];
    expect(rows.map((r) => r.second)).toEqual([0, 1, 3]);
    expect(rows[0]).toMatchObject({
      arrivals: 100,
      attempts: 100,
      invocations: 100,
      coldStarts: 1,
      outcomes: 100,
    });
    near(rows[0]?.p50Us, 10_000);
    near(rows[1]?.p99Us, 50_000);
    expect(rows[2]).toMatchObject({ arrivals: 10 });
    near(rows[2]?.p50Us, 200_000);
    expect(rows[2]?.p50Us).not.toBe(rows[1]?.p50Us); // the rolling histogram was reset
  });

  it('gives a cheap live snapshot', () => {
    const clock = new FakeClock();
    const rec = createRecorder({ clock });
    for (let id = 0; id < 20; id++) rec.arrival(keyA, id, id * 50); // 20 arrivals in second 0
    for (let id = 0; id < 10; id++) {
      rec.attempt(attempt(keyA, id, id * 50, id * 50 + (id + 1), { cold: id < 2 }));
      rec.outcome(outcome(keyA, id, 'succeeded', id * 50, id * 50 + id + 1));
    }
    rec.arrival(keyB, 100, 1100);
    rec.attempt(attempt(keyB, 100, 1100, 1110, { status: 'function-error', errorType: 'Boom' }));
    clock.stall(1500);
    const snap = rec.snapshot();
    expect(snap).toMatchObject({
      elapsedMs: 1500,
      arrivals: 21,
      arrivalsPerSecond: 20,
      inFlight: 11,
      invocations: 11,
      coldStarts: 2,
      errors: 1,
      errorsBySource: { sns: 1 },
    });
    expect(snap.p50Ms).toBeCloseTo(6, 1);
    expect(snap.p99Ms).toBeCloseTo(10, 1);
    expect(createRecorder({ clock }).snapshot()).toMatchObject({ p50Ms: null, p99Ms: null, arrivals: 0 });
  });
});

describe('the ledger', () => {
  const balancedRun = () => {
    const rec = createRecorder({ clock: new FakeClock() });
    rec.arrival(keyA, 1, 0);
    rec.attempt(attempt(keyA, 1, 0, 5));
    rec.outcome(outcome(keyA, 1, 'succeeded', 0, 5));
    rec.arrival(keyA, 2, 0);
    rec.outcome(outcome(keyA, 2, 'dropped', 0, 0, HARNESS_DROP_REASON));
    return rec;
  };

  it('balances when every arrival has one outcome, and puts the unfinished in in-flight', () => {
    const rec = balancedRun();
    rec.arrival(keyB, 1, 10); // same id, another key: a different arrival
    rec.arrival(keyB, 2, 20);
    rec.attempt(attempt(keyB, 2, 20, 30));
    const point = rec.finish();
    expect(point.ledger).toMatchObject({ balanced: true, arrivals: 4, discrepancies: [] });
    expect(point.ledger.buckets).toMatchObject({ succeeded: 1, dropped: 1, 'in-flight': 2 });
    expect(point.series[0]?.counters.droppedByReason).toEqual({ [HARNESS_DROP_REASON]: 1 });
    expect(rec.finish()).toBe(point); // idempotent
  });

  const expectImbalance = (rec: ReturnType<typeof balancedRun>, pattern: RegExp) => {
    let error: unknown;
    try {
      rec.finish();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LedgerImbalanceError);
    const e = error as LedgerImbalanceError;
    expect(e.exitCode).toBe(ExitCode.Internal);
    expect(e.point.ledger.balanced).toBe(false);
    expect(e.point.ledger.discrepancies.join('\n')).toMatch(pattern);
    expect(e.message).toMatch(pattern);
    return e.point;
  };

  it('detects an outcome for an arrival that was never reported', () => {
    const rec = balancedRun();
    rec.outcome(outcome(keyA, 99, 'failed', 0, 1));
    const point = expectImbalance(rec, /2 arrivals but buckets add up to 3 \(\+1\)/);
    expect(point.ledger.anomalies.unknownOutcomes).toBe(1);
    expect(point.ledger.anomalies.examples[0]).toMatch(/event 99, which never arrived/);
  });

  it('detects a second outcome for the same arrival', () => {
    const rec = balancedRun();
    rec.outcome(outcome(keyA, 1, 'failed', 0, 1));
    const point = expectImbalance(rec, /more than one outcome/);
    expect(point.ledger.anomalies.duplicateOutcomes).toBe(1);
  });

  it('detects an arrival reported twice', () => {
    const rec = balancedRun();
    rec.arrival(keyA, 1, 0);
    expectImbalance(rec, /reported twice/);
  });

  it('detects an attempt for an arrival never reported', () => {
    const rec = balancedRun();
    rec.attempt(attempt(keyA, 42, 0, 1));
    const point = expectImbalance(rec, /attempt\(s\) for arrivals never reported/);
    // The sums themselves add up; the anomaly alone makes it unbalanced.
    expect(point.series[0]?.ledger.balanced).toBe(false);
  });

  it('tracks large and sparse event ids without confusing them', () => {
    const rec = createRecorder({ clock: new FakeClock() });
    const ids = [0, 31, 32, 32_767, 32_768, 2 ** 40, 2 ** 40 + 1, -1, 0.5];
    for (const id of ids) rec.arrival(keyA, id, 0);
    for (const id of ids) rec.outcome(outcome(keyA, id, 'succeeded', 0, 1));
    expect(rec.finish().ledger).toMatchObject({ balanced: true, arrivals: ids.length });
    const again = createRecorder({ clock: new FakeClock() });
    again.arrival(keyA, 2 ** 40, 0);
    again.outcome(outcome(keyA, 2 ** 40, 'succeeded', 0, 1));
    again.outcome(outcome(keyA, 2 ** 40 + 32, 'succeeded', 0, 1));
    expect(() => again.finish()).toThrow(/never reported/);
  });
});

describe('figures that do not come from lambench’s own calls', () => {
  it('counts throttles by their Retry-After, absent when none carried one', () => {
    const clock = new FakeClock();
    const rec = createRecorder({ clock });
    for (let id = 1; id <= 3; id++) {
      rec.arrival(keyA, id, 0);
      rec.attempt(attempt(keyA, id, 0, 2, { status: 'throttled', ...(id < 3 ? { retryAfterS: id } : {}) }));
      rec.outcome(outcome(keyA, id, 'dropped', 0, 2, 'throttled'));
    }
    rec.arrival(keyB, 1, 0);
    rec.attempt(attempt(keyB, 1, 0, 2, { status: 'throttled' }));
    rec.outcome(outcome(keyB, 1, 'dropped', 0, 2, 'throttled'));
    const [a, b] = rec.finish().series;
    expect(a?.counters.retryAfterS).toEqual({ '1': 1, '2': 1 });
    expect(b?.counters).not.toHaveProperty('retryAfterS');
  });

  it('records REPORT lines read from logs: cold by Init Duration, platform errors by Status, with the logs section', () => {
    const clock = new FakeClock();
    const rec = createRecorder({ clock });
    const base = {
      requestId: 'r',
      durationMs: 10,
      billedDurationMs: 11,
      memorySizeMB: 512,
      maxMemoryUsedMB: 70,
    };
    rec.logReport(keyA, { ...base, initDurationMs: 200 }, true);
    rec.logReport(keyA, base, true);
    rec.logReport(keyA, { ...base, durationMs: 3000, billedDurationMs: 3000, status: 'timeout' }, false);
    rec.logReport(keyA, { ...base, status: 'error', errorType: 'Runtime.OutOfMemory' }, true);
    rec.logsSection(keyA, {
      source: 'cloudwatch-logs',
      logGroup: '/aws/lambda/resize',
      matchedBy: 'request-id',
      requested: 5,
      found: 4,
      notFound: 1,
      reports: 4,
      waitedMs: 1200,
      requests: 3,
    });
    const [s] = rec.finish().series;
    expect(s?.counters).toMatchObject({
      invocations: 3,
      coldStarts: 1,
      errors: 2,
      timeouts: 1,
      outOfMemory: 1,
    });
    expect(s?.counters.errorsByType).toEqual({ 'Sandbox.Timedout': 1, 'Runtime.OutOfMemory': 1 });
    expect(s?.histograms.durationUs.cold?.summary.count).toBe(1);
    expect(s?.histograms.durationUs.warm?.summary).toMatchObject({ count: 3, max: expect.any(Number) });
    near(s?.histograms.durationUs.warm?.summary.max, 3_000_000);
    expect(s?.histograms.initDurationUs?.summary.count).toBe(1);
    expect(s?.histograms.maxMemoryUsedMB.warm?.summary.count).toBe(3);
    expect(s?.logs?.notFound).toBe(1);
    // No call of lambench's: the ledger is untouched.
    expect(s?.counters.attempts).toBe(0);
    expect(s?.ledger.arrivals).toBe(0);
  });

  it('keeps delivery: service figures with each call’s latency', () => {
    const clock = new FakeClock();
    const rec = createRecorder({ clock });
    rec.serviceSection(
      keyB,
      {
        kind: 'sns',
        resource: 'arn:aws:sns:us-east-1:123456789012:t',
        calls: 2,
        accepted: 19,
        rejected: 1,
        retried: 3,
        rejectedByCode: { InvalidParameter: 1 },
      },
      [12_000, 30_000],
    );
    const [s] = rec.finish().series;
    expect(s?.service).toMatchObject({ kind: 'sns', accepted: 19, rejected: 1, retried: 3 });
    expect(s?.service?.callLatencyUs?.summary).toMatchObject({ count: 2 });
    near(s?.service?.callLatencyUs?.summary.max, 30_000);
  });
});
