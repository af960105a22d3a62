import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createAsyncDelivery, createDestinationFile, destinationPath } from '../../src/delivery/index.js';
import { type LocalFunctions, startLocalFunctions } from '../fixtures/delivery/local-functions.js';
import { tempDir } from '../helpers/temp-dir.js';
import { RecordingSink } from '../unit/delivery/helpers/recording-sink.js';

// Retry delays and back-off are compressed to tens of ms; the function runs in the real emulator.
const FAST = { retryDelaysMs: [20, 40], throttleBackoffBaseMs: 20, throttleBackoffCapMs: 80 };

describe('async delivery against the local emulator', () => {
  let fns: LocalFunctions;
  beforeAll(async () => {
    fns = await startLocalFunctions([{ name: 'async-fn' }, { name: 'async-narrow', reservedConcurrency: 1 }]);
  });
  afterAll(async () => {
    await fns?.close();
  });

  it('retries a failing function until it succeeds, counting every attempt and retry', async () => {
    // Prepare
    const sink = new RecordingSink();
    const delivery = createAsyncDelivery(
      { target: fns.target, sink, clock: systemClock, key: fns.keyFor('async-fn', 's3') },
      { config: FAST },
    );
    // Act
    await delivery.deliver(1, systemClock.now(), JSON.stringify({ tag: 'twice', failTimes: 2 }));
    await delivery.settled();
    // Assess
    expect(sink.attempts.map((a) => a.result.status)).toEqual(['function-error', 'function-error', 'ok']);
    expect(sink.attempts.map((a) => a.result.errorType)).toEqual(['PushError', 'PushError', undefined]);
    expect(sink.retries.map((r) => r.reason)).toEqual(['PushError', 'PushError']);
    expect(sink.outcomes).toEqual([
      expect.objectContaining({ eventId: 1, bucket: 'succeeded', attempts: 3 }),
    ]);
  });

  it('dead-letters an always-failing event to the on-failure file with AWS record shape', async () => {
    const sink = new RecordingSink();
    const dir = tempDir('lambench-dlq-');
    const destination = createDestinationFile(destinationPath(dir, 's3'));
    const key = fns.keyFor('async-fn', 's3');
    const delivery = createAsyncDelivery(
      { target: fns.target, sink, clock: systemClock, key },
      { config: FAST, destination },
    );
    const event = { tag: 'never', alwaysFail: true, Records: [] };
    await Promise.all([
      delivery.deliver(1, systemClock.now(), JSON.stringify(event)),
      delivery.deliver(2, systemClock.now(), JSON.stringify({ tag: 'fine' })),
    ]);
    delivery.stop();
    await delivery.settled();

    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'dead-lettered', reason: 'PushError', attempts: 3 });
    expect(sink.outcomeOf(2)).toMatchObject({ bucket: 'succeeded', attempts: 1 });
    const lines = readFileSync(join(dir, 's3.on-failure.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] as string);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        functionArn: `arn:aws:lambda:us-east-1:123456789012:function:async-fn:${key.qualifier}`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      responsePayload: {
        errorType: 'PushError',
        errorMessage: expect.stringMatching(/^failing call \d of never$/),
      },
    });
    expect(record.responseContext.executedVersion).toMatch(/^\d+$/);
    expect(Date.parse(record.timestamp)).not.toBeNaN();
  });

  it('fails after maximumRetryAttempts without a destination', async () => {
    const sink = new RecordingSink();
    const delivery = createAsyncDelivery(
      { target: fns.target, sink, clock: systemClock, key: fns.keyFor('async-fn', 'eventbridge') },
      { config: { ...FAST, maximumRetryAttempts: 1 } },
    );
    await delivery.deliver(5, systemClock.now(), JSON.stringify({ tag: 'one-retry', alwaysFail: true }));
    expect(sink.attempts).toHaveLength(2);
    expect(sink.outcomeOf(5)).toMatchObject({ bucket: 'failed', reason: 'PushError', attempts: 2 });
  });

  it('re-queues throttled calls without spending retries until every event succeeds', async () => {
    // Three pollers against a function with reserved concurrency 1: the emulator throttles the extras.
    const sink = new RecordingSink();
    const delivery = createAsyncDelivery(
      { target: fns.target, sink, clock: systemClock, key: fns.keyFor('async-narrow', 's3') },
      { config: { ...FAST, maximumRetryAttempts: 0, pollerWidth: 3 } },
    );
    const start = systemClock.now();
    await Promise.all(
      [0, 1, 2].map((i) => delivery.deliver(i, start, JSON.stringify({ tag: `t${i}`, sleepMs: 150 }))),
    );
    await delivery.settled();

    const throttled = sink.attempts.filter((a) => a.result.status === 'throttled');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]?.result.throttleReason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(sink.retries.every((r) => r.reason === 'TooManyRequestsException')).toBe(true);
    expect(sink.retries).toHaveLength(throttled.length);
    expect(sink.outcomes.map((o) => o.bucket)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });
});
