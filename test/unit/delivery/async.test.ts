import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAsyncDelivery } from '../../../src/delivery/async.js';
import type { AsyncConfig } from '../../../src/delivery/async-config.js';
import { createAsyncQueue } from '../../../src/delivery/async-queue.js';
import { createDestinationFile, destinationPath } from '../../../src/delivery/destination-file.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { key, RecordingSink } from './helpers/recording-sink.js';
import { ScriptedTarget, type Step } from './helpers/scripted-target.js';
import { VirtualClock } from './helpers/virtual-clock.js';

function setup(steps: Step[], config: Partial<AsyncConfig> = {}, withDestination = false) {
  const clock = new VirtualClock();
  const target = new ScriptedTarget(clock, steps);
  const sink = new RecordingSink();
  const dir = tempDir('lambench-async-');
  const destination = withDestination ? createDestinationFile(destinationPath(dir, 's3')) : undefined;
  const delivery = createAsyncDelivery(
    { target, sink, clock, key: key() },
    { config, ...(destination ? { destination } : {}) },
  );
  const readDestination = () =>
    destination
      ? readFileSync(destination.path, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
  return { clock, target, sink, delivery, readDestination };
}

describe('async delivery: function errors', () => {
  it('retries a function error after 1 min and 2 min by default, then fails without a destination', async () => {
    // Prepare
    const { clock, target, sink, delivery } = setup(['function-error']);
    // Act
    const done = delivery.deliver(7, 0, '{"n":7}');
    await clock.runAll();
    await done;
    // Assess
    expect(target.calls.map((c) => c.at)).toEqual([0, 60_000, 180_000]);
    expect(sink.attempts.map((a) => [a.attempt, a.intendedStartMs])).toEqual([
      [1, 0],
      [2, 60_000],
      [3, 180_000],
    ]);
    expect(sink.retries).toHaveLength(2);
    expect(sink.retries[0]?.reason).toBe('Error');
    expect(sink.outcomes).toEqual([
      expect.objectContaining({ eventId: 7, bucket: 'failed', reason: 'Error', attempts: 3, endMs: 180_000 }),
    ]);
  });

  it('succeeds on the retry after failing once', async () => {
    const { clock, target, sink, delivery } = setup(['timeout', 'ok'], { retryDelaysMs: [50] });
    const done = delivery.deliver(1, 0, '{}');
    await clock.runAll();
    await done;
    expect(target.calls).toHaveLength(2);
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'succeeded', attempts: 2, endMs: 50 });
  });

  it('honours maximumRetryAttempts 0: one call then the destination', async () => {
    const { clock, target, sink, delivery, readDestination } = setup(
      [{ status: 'function-error', errorType: 'Boom' }],
      { maximumRetryAttempts: 0 },
      true,
    );
    const done = delivery.deliver(3, 0, '{"order":3}');
    await clock.runAll();
    await done;
    await delivery.settled();
    expect(target.calls).toHaveLength(1);
    expect(sink.retries).toHaveLength(0);
    expect(sink.outcomeOf(3)).toMatchObject({ bucket: 'dead-lettered', reason: 'Boom', attempts: 1 });
    const [record] = readDestination();
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn:1',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 1,
      },
      requestPayload: { order: 3 },
      responseContext: { statusCode: 200, executedVersion: '1', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Boom', errorMessage: 'scripted' },
    });
    expect(record.timestamp).toBe('2024-01-01T00:00:00.000Z');
    expect(record.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes RetriesExhausted with the invoke count after all retries', async () => {
    const { clock, sink, delivery, readDestination } = setup(
      ['out-of-memory'],
      { retryDelaysMs: [10, 20] },
      true,
    );
    void delivery.deliver(1, 0, '{}');
    await clock.runAll();
    await delivery.settled();
    expect(sink.outcomeOf(1)).toMatchObject({
      bucket: 'dead-lettered',
      reason: 'Runtime.OutOfMemory',
      attempts: 3,
    });
    expect(readDestination().map((r) => r.requestContext.approximateInvokeCount)).toEqual([3]);
  });
});

describe('async delivery: throttles and service errors', () => {
  it('re-queues throttles without spending a retry, backing off exponentially up to the cap', async () => {
    const { clock, target, sink, delivery } = setup(
      ['throttled', 'throttled', 'throttled', 'throttled', 'function-error', 'ok'],
      { throttleBackoffBaseMs: 100, throttleBackoffCapMs: 300, retryDelaysMs: [1000] },
    );
    void delivery.deliver(1, 0, '{}');
    await clock.runAll();
    // 100, 200, 300 (capped), 300 (capped), then a function error retried after 1000.
    expect(target.calls.map((c) => c.at)).toEqual([0, 100, 300, 600, 900, 1900]);
    expect(sink.retries.map((r) => r.reason)).toEqual([
      'TooManyRequestsException',
      'TooManyRequestsException',
      'TooManyRequestsException',
      'TooManyRequestsException',
      'Error',
    ]);
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'succeeded', attempts: 6 });
  });

  it('keeps re-queueing service errors even with maximumRetryAttempts 0', async () => {
    const { clock, sink, delivery } = setup(['service-error', 'service-error', 'ok'], {
      maximumRetryAttempts: 0,
      throttleBackoffBaseMs: 10,
    });
    void delivery.deliver(1, 0, '{}');
    await clock.runAll();
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'succeeded', attempts: 3 });
  });

  it('expires an event that stays throttled past its maximum age, at that age', async () => {
    const { clock, sink, delivery } = setup(['throttled'], {
      throttleBackoffBaseMs: 100,
      throttleBackoffCapMs: 100,
      maximumEventAgeMs: 450,
    });
    void delivery.deliver(1, 0, '{}');
    await clock.runAll();
    expect(sink.attempts.map((a) => a.startMs)).toEqual([0, 100, 200, 300, 400]);
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'expired', attempts: 5, endMs: 450 });
    expect(sink.outcomeOf(1)?.reason).toMatch(/^EventAgeExceeded/);
  });

  it('dead-letters an expired event with EventAgeExceeded when a destination is configured', async () => {
    const { clock, sink, delivery, readDestination } = setup(
      ['function-error'],
      { retryDelaysMs: [1000], maximumEventAgeMs: 500 },
      true,
    );
    void delivery.deliver(1, 0, '{"a":1}');
    await clock.runAll();
    await delivery.settled();
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'dead-lettered', attempts: 1, endMs: 500 });
    expect(readDestination()[0]).toMatchObject({ requestContext: { condition: 'EventAgeExceeded' } });
  });

  it('fails at once on a client service error that no retry can fix', async () => {
    const { clock, sink, delivery } = setup([
      { status: 'service-error', errorType: 'ResourceNotFoundException' },
    ]);
    void delivery.deliver(1, 0, '{}');
    await clock.runAll();
    expect(sink.outcomeOf(1)).toMatchObject({
      bucket: 'failed',
      reason: 'ResourceNotFoundException',
      attempts: 1,
    });
  });
});

describe('async delivery: concurrency, reserved concurrency 0, stop', () => {
  it('never runs more calls than the reserved concurrency', async () => {
    const { clock, target, sink, delivery } = setup([{ status: 'ok', delayMs: 100 }], {
      reservedConcurrency: 2,
    });
    for (let i = 0; i < 5; i++) void delivery.deliver(i, 0, '{}');
    await clock.runAll();
    expect(target.maxInFlight).toBe(2);
    expect(sink.outcomes.map((o) => o.endMs).sort((a, b) => a - b)).toEqual([100, 100, 200, 200, 300]);
  });

  it('shares one function queue between sources: one concurrency bound, each source its own key', async () => {
    const clock = new VirtualClock();
    const target = new ScriptedTarget(clock, [{ status: 'ok', delayMs: 100 }]);
    const sink = new RecordingSink();
    const queue = createAsyncQueue(
      { target, sink, clock, key: key('s3') },
      { config: { reservedConcurrency: 1 } },
    );
    const s3 = createAsyncDelivery({ target, sink, clock, key: key('s3') }, { queue });
    const events = createAsyncDelivery({ target, sink, clock, key: key('eventbridge') }, { queue });
    void s3.deliver(1, 0, '{}');
    void events.deliver(2, 0, '{}');
    void s3.deliver(3, 0, '{}');
    await clock.runAll();
    expect(target.maxInFlight).toBe(1);
    expect(sink.attempts.map((a) => `${a.key.source}:${a.eventId}:${a.endMs}`)).toEqual([
      's3:1:100',
      'eventbridge:2:200',
      's3:3:300',
    ]);
    expect(sink.outcomes.map((o) => o.key.source)).toEqual(['s3', 'eventbridge', 's3']);
  });

  it("in a shared queue one source's retries delay the other's events; each keeps its own retry policy", async () => {
    const clock = new VirtualClock();
    // Call 1 (s3 event 1) fails; every later call succeeds after 100 ms.
    const target = new ScriptedTarget(clock, [
      { status: 'function-error', delayMs: 100 },
      { status: 'ok', delayMs: 100 },
    ]);
    const sink = new RecordingSink();
    const queue = createAsyncQueue(
      { target, sink, clock, key: key('queue') },
      { config: { reservedConcurrency: 1 } },
    );
    const s3 = createAsyncDelivery(
      { target, sink, clock, key: key('s3') },
      { queue, config: { maximumRetryAttempts: 1, retryDelaysMs: [50] } },
    );
    const events = createAsyncDelivery(
      { target, sink, clock, key: key('eventbridge') },
      { queue, config: { maximumRetryAttempts: 0 } },
    );
    void s3.deliver(1, 0, '{}');
    void events.deliver(2, 0, '{}');
    void events.deliver(3, 0, '{}');
    await clock.runAll();
    expect(target.maxInFlight).toBe(1);
    // The s3 retry (due at 150) waits behind eventbridge's queued events: one queue, one bound.
    expect(sink.attempts.map((a) => `${a.key.source}:${a.eventId}#${a.attempt}@${a.endMs}`)).toEqual([
      's3:1#1@100',
      'eventbridge:2#1@200',
      'eventbridge:3#1@300',
      's3:1#2@400',
    ]);
    expect(sink.retries.map((r) => r.key.source)).toEqual(['s3']);
    expect(sink.outcomes.map((o) => `${o.key.source}:${o.eventId}:${o.bucket}`).sort()).toEqual([
      'eventbridge:2:succeeded',
      'eventbridge:3:succeeded',
      's3:1:succeeded',
    ]);
  });

  it('stopping one source of a shared queue ends only its waiting events', async () => {
    const clock = new VirtualClock();
    const target = new ScriptedTarget(clock, [{ status: 'ok', delayMs: 100 }]);
    const sink = new RecordingSink();
    const queue = createAsyncQueue(
      { target, sink, clock, key: key('queue') },
      { config: { reservedConcurrency: 1 } },
    );
    const s3 = createAsyncDelivery({ target, sink, clock, key: key('s3') }, { queue });
    const events = createAsyncDelivery({ target, sink, clock, key: key('eventbridge') }, { queue });
    void s3.deliver(1, 0, '{}');
    void s3.deliver(2, 0, '{}');
    void events.deliver(3, 0, '{}');
    await clock.advance(10);
    s3.stop();
    await s3.deliver(4, 10, '{}');
    await clock.runAll();
    expect(sink.outcomes.map((o) => `${o.key.source}:${o.eventId}:${o.bucket}`)).toEqual([
      's3:2:in-flight',
      's3:4:in-flight',
      's3:1:succeeded',
      'eventbridge:3:succeeded',
    ]);
  });

  it('sends events straight to the destination when reserved concurrency is 0', async () => {
    const { clock, target, sink, delivery, readDestination } = setup(
      ['ok'],
      { reservedConcurrency: 0 },
      true,
    );
    void delivery.deliver(1, 0, '{"x":1}');
    await clock.runAll();
    await delivery.settled();
    expect(target.calls).toHaveLength(0);
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'dead-lettered', attempts: 0 });
    expect(readDestination()[0]).toMatchObject({
      requestContext: { condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0 },
      responseContext: { statusCode: 429 },
    });
  });

  it('drops events when reserved concurrency is 0 and there is no destination', async () => {
    const { clock, sink, delivery } = setup(['ok'], { reservedConcurrency: 0 });
    void delivery.deliver(1, 0, '{}');
    await clock.runAll();
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'dropped', reason: 'ZeroReservedConcurrency' });
  });

  it('stop ends waiting retries as in-flight and starts nothing new', async () => {
    const { clock, target, sink, delivery } = setup(['function-error'], { retryDelaysMs: [1000] });
    const first = delivery.deliver(1, 0, '{}');
    await clock.advance(10);
    delivery.stop();
    const late = delivery.deliver(2, 10, '{}');
    await first;
    await late;
    await delivery.settled();
    await clock.runAll();
    expect(target.calls).toHaveLength(1);
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'in-flight', attempts: 1 });
    expect(sink.outcomeOf(2)).toMatchObject({ bucket: 'in-flight', attempts: 0 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('a call running at stop finishes; its retry is not started', async () => {
    const { clock, target, sink, delivery } = setup([{ status: 'function-error', delayMs: 100 }]);
    void delivery.deliver(1, 0, '{}');
    await clock.advance(50);
    delivery.stop();
    await clock.runAll();
    await delivery.settled();
    expect(target.calls).toHaveLength(1);
    expect(sink.attempts).toHaveLength(1);
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'in-flight', attempts: 1 });
  });

  it('rejects an out-of-range maximumRetryAttempts with a clear input error', () => {
    expect(() => setup(['ok'], { maximumRetryAttempts: 3 })).toThrow(
      /maximumRetryAttempts: expected an integer from 0 to 2, got 3/,
    );
  });
});
