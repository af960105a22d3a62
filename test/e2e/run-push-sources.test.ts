/**
 * `lambench run` end to end, one short scenario per push source: the built CLI in a child process
 * against the embedded emulator, judged by its exit code, results.json and the files it writes.
 * The fixture handlers behave deterministically (they fail when the event says so), so every
 * count below is known in advance. Needs the build (`npx tsc -p tsconfig.json`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/events/index.js';
import type { Counters, Results, SeriesResults } from '../../src/metrics/results-schema.js';
import {
  FIXTURES,
  lambench,
  ledgerProblems,
  lingeringEnvironments,
  readJsonl,
  readResults,
} from '../fixtures/run/lambench.js';

const PUSH = join(FIXTURES, 'push');
const FUNCTIONS = join(PUSH, 'functions');
const work = mkdtempSync(join(tmpdir(), 'lambench-run-push-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a fixture scenario to completion; checks what every run must satisfy. */
async function runScenario(name: string): Promise<{ results: Results; dir: string }> {
  const dir = join(work, name);
  const run = await lambench(['run', join(PUSH, `${name}.yaml`), '--no-progress', '--output', dir]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/\(balanced\)/);
  const results = readResults(dir);
  expect(results.run.aborted).toBe(false);
  expect(ledgerProblems(results)).toEqual([]);
  expect(existsSync(join(dir, 'function-logs.txt'))).toBe(true);
  expect(await lingeringEnvironments(FUNCTIONS)).toEqual([]);
  return { results, dir };
}

function series(results: Results, source: string, functionName?: string): SeriesResults {
  const found = results.points[0]?.series.filter(
    (s) => s.key.source === source && (functionName === undefined || s.key.functionName === functionName),
  );
  expect(found, `series for ${source}`).toHaveLength(1);
  return found?.[0] as SeriesResults;
}

/** The part of Lambda's on-failure invocation record the key check reads. */
interface OnFailureRecord {
  requestPayload?: { Records?: Array<{ s3?: { object?: { key?: string } } }> };
}

function statuses(counters: Counters): Record<string, number> {
  return counters.httpStatuses;
}

describe('lambench run: push sources end to end', () => {
  it('invoke (sync): every arrival is one successful call', async () => {
    const { results } = await runScenario('invoke');
    const s = series(results, 'direct');
    expect(s.counters.arrivals).toBe(20);
    expect(s.counters.attempts).toBe(20);
    expect(s.counters.invocations).toBe(20);
    expect(s.counters.errors).toBe(0);
    expect(s.ledger.buckets.succeeded).toBe(20);
    expect(results.ledger.arrivals).toBe(20);
    expect(results.points[0]?.scheduler).toMatchObject({ scheduled: 20, started: 20, dropped: 0 });
  });

  it('S3 (async): bad keys are tried 3 times and dead-lettered in AWS record shape, the rest succeed', async () => {
    const { results, dir } = await runScenario('s3');
    const bad = Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 4 === 1);
    const s = series(results, 'photos');
    expect(s.counters.arrivals).toBe(20);
    expect(s.ledger.buckets['dead-lettered']).toBe(bad.length);
    expect(s.ledger.buckets.succeeded).toBe(20 - bad.length);
    expect(s.ledger.buckets.failed).toBe(0);
    expect(s.counters.retries).toBe(2 * bad.length);
    expect(s.counters.attempts).toBe(20 + 2 * bad.length);
    expect(s.counters.errors).toBe(3 * bad.length);

    const records = readJsonl(join(dir, 'photos.on-failure.jsonl')) as OnFailureRecord[];
    const keys = records.map((r) => r.requestPayload?.Records?.[0]?.s3?.object?.key);
    expect(keys.sort()).toEqual(bad.map((i) => `item-${i}.jpg`).sort());
    for (const record of records) {
      expect(record).toMatchObject({
        version: '1.0',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        requestContext: {
          requestId: expect.any(String),
          functionArn: expect.stringMatching(/^arn:aws:lambda:[^:]+:\d{12}:function:uploads/),
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: {
          Records: [
            { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'photos' } } },
          ],
        },
        responseContext: { statusCode: 200, functionError: 'Unhandled' },
        responsePayload: {
          errorType: 'Error',
          errorMessage: expect.stringMatching(/^bad object item-\d+\.jpg$/),
        },
      });
    }
  });

  it('API Gateway: 200 for a valid proxy response, 502 for a malformed one, 500 / 429 for throttles', async () => {
    const { results } = await runScenario('apigateway');
    const ok = series(results, 'ok');
    expect(statuses(ok.counters)).toEqual({ '200': 10 });
    expect(ok.ledger.buckets.succeeded).toBe(10);

    const malformed = series(results, 'malformed');
    expect(statuses(malformed.counters)).toEqual({ '502': 10 });
    expect(malformed.ledger.buckets.failed).toBe(10);

    // Reserved concurrency 1, 300 ms calls arriving every 100 ms: some run, the rest are throttled,
    // and the throttled status depends on the API's kind.
    for (const [source, throttled] of [
      ['rest-throttle', '500'],
      ['http-throttle', '429'],
    ] as const) {
      const s = series(results, source);
      const byStatus = statuses(s.counters);
      expect(Object.keys(byStatus).sort(), source).toEqual(['200', throttled]);
      const passed = byStatus['200'] ?? 0;
      const rejected = byStatus[throttled] ?? 0;
      expect(passed + rejected, source).toBe(20);
      expect(passed, source).toBeGreaterThanOrEqual(1);
      expect(rejected, source).toBeGreaterThanOrEqual(1);
      expect(s.counters.throttles, source).toBe(rejected);
      expect(s.counters.invocations, source).toBe(passed);
      expect(s.ledger.buckets.succeeded, source).toBe(passed);
      expect(s.ledger.buckets.failed, source).toBe(rejected);
    }
    // The integration timeout: every client got a 504, and every function still ran to its end.
    const late = series(results, 'late');
    expect(statuses(late.counters)).toEqual({ '504': 5 });
    expect(late.ledger.buckets.failed).toBe(5);
    expect(late.counters.outcomeReasons.failed).toEqual({ IntegrationTimeout: 5 });
    expect(late.counters.invocations).toBe(5);
    expect(late.counters.answeredAfterIntegrationTimeout).toBe(5);
    expect(late.counters.errors).toBe(0);
    const { cold, warm } = late.histograms.durationUs;
    expect((cold?.summary.count ?? 0) + (warm?.summary.count ?? 0)).toBe(5);
    expect(Math.min(cold?.summary.min ?? Infinity, warm?.summary.min ?? Infinity)).toBeGreaterThanOrEqual(
      590_000,
    );
    const billed = late.histograms.billedDurationUs;
    expect((billed.cold?.summary.count ?? 0) + (billed.warm?.summary.count ?? 0)).toBe(5);
    expect(series(results, 'ok').counters.answeredAfterIntegrationTimeout).toBeUndefined();
    expect(results.ledger.arrivals).toBe(65);
  });

  it('SNS fan-out: each subscription gets exactly the messages its filter policy accepts', async () => {
    const { results } = await runScenario('sns');
    // The same seed and options as the scenario give the same messages the run published.
    const options = {
      topic: 'orders',
      message: {
        orderId: '{{ faker.string.uuid }}',
        status: '{{ faker.helpers.arrayElement(["paid","pending","refunded"]) }}',
      },
      attributes: { country: '{{ faker.helpers.arrayElement(["DE","FR","US","JP"]) }}' },
    };
    let billing = 0;
    let shipping = 0;
    const published = 30;
    for (let index = 0; index < published; index++) {
      const event = generate('sns', undefined, options, { seed: 11, index, now: Date.now(), vars: {} }) as {
        Records: Array<{ Sns: { Message: string; MessageAttributes: Record<string, { Value: string }> } }>;
      };
      const sns = event.Records[0]?.Sns;
      if ((JSON.parse(sns?.Message ?? '{}') as { status?: string }).status === 'paid') billing++;
      if (['DE', 'FR'].includes(sns?.MessageAttributes.country?.Value ?? '')) shipping++;
    }
    // Both outcomes occur, so a policy that accepted or rejected everything would fail below.
    expect(billing).toBeGreaterThan(0);
    expect(billing).toBeLessThan(published);
    expect(shipping).toBeGreaterThan(0);
    expect(shipping).toBeLessThan(published);

    for (const [fn, expected] of [
      ['billing', billing],
      ['shipping', shipping],
    ] as const) {
      const s = series(results, 'orders', fn);
      expect(s.counters.arrivals, fn).toBe(expected);
      expect(s.counters.filtered, fn).toBe(published - expected);
      expect(s.counters.errors, fn).toBe(0); // the handlers throw on a message they should not get
      expect(s.ledger.buckets.succeeded, fn).toBe(expected);
    }
    expect(results.ledger.arrivals).toBe(billing + shipping);
  });

  it('EventBridge scheduled: every event is delivered asynchronously and handled', async () => {
    const { results } = await runScenario('eventbridge');
    const s = series(results, 'schedule');
    expect(s.counters.arrivals).toBe(6);
    expect(s.counters.invocations).toBe(6);
    expect(s.counters.errors).toBe(0);
    expect(s.ledger.buckets.succeeded).toBe(6);
    // Async: Lambda accepted each event (202); the series carries no HTTP statuses of a sync call.
    expect(s.counters.httpStatuses).toEqual({});
    const scenario = results.run.scenario as { sources: Record<string, { kind: string }> };
    expect(scenario.sources.schedule?.kind).toBe('eventbridge');
  });

  it('one async queue per function: two sources of a reserved-concurrency-1 function take turns, never throttled', async () => {
    const { results } = await runScenario('shared-queue');
    for (const source of ['uploads', 'schedule']) {
      const s = series(results, source);
      expect(s.ledger.buckets.succeeded, source).toBe(4);
      expect(s.counters.invocations, source).toBe(4);
      expect(s.counters.throttles, source).toBe(0);
      expect(s.counters.retries, source).toBe(0);
    }
    expect(results.ledger.arrivals).toBe(8);
  });

  it('CloudFormation: SUCCESS succeeds, FAILED fails, no answer fails after the response timeout', async () => {
    const { results } = await runScenario('cloudformation');
    const creates = series(results, 'creates');
    expect(creates.ledger.buckets).toMatchObject({ succeeded: 3, failed: 0 });
    const refused = series(results, 'refused');
    expect(refused.ledger.buckets).toMatchObject({ succeeded: 0, failed: 2 });
    expect(refused.counters.errors).toBe(0); // the function ran fine; CloudFormation got FAILED
    expect(refused.counters.outcomeReasons.failed).toEqual({ 'FAILED: refused on purpose': 2 });
    const unanswered = series(results, 'unanswered');
    expect(unanswered.ledger.buckets).toMatchObject({ succeeded: 0, failed: 2 });
    expect(unanswered.counters.invocations).toBe(2);
    // The reason adds "; function succeeded" when the function ended before the timeout, which a
    // slow cold start on a loaded machine can prevent: either wording, both events.
    const reasons = unanswered.counters.outcomeReasons.failed ?? {};
    for (const reason of Object.keys(reasons)) expect(reason).toMatch(/^no response within 1000 ms/);
    expect(Object.values(reasons).reduce((a, b) => a + b, 0)).toBe(2);
    expect(results.ledger.arrivals).toBe(7);
  });
});
