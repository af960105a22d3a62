import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createApiGatewayDelivery, type ProxyVersion } from '../../src/delivery/index.js';
import { type LocalFunctions, startLocalFunctions } from '../fixtures/delivery/local-functions.js';
import { RecordingSink } from '../unit/delivery/helpers/recording-sink.js';

describe('API Gateway proxy delivery against the local emulator', () => {
  let fns: LocalFunctions;
  beforeAll(async () => {
    fns = await startLocalFunctions([{ name: 'api-fn' }, { name: 'api-narrow', reservedConcurrency: 1 }]);
  });
  afterAll(async () => {
    await fns?.close();
  });

  async function send(version: ProxyVersion, knobs: object, options: { integrationTimeoutMs?: number } = {}) {
    const sink = new RecordingSink();
    const delivery = createApiGatewayDelivery(
      { target: fns.target, sink, clock: systemClock, key: fns.keyFor('api-fn', 'apigateway') },
      { version, ...options },
    );
    await delivery.deliver(1, systemClock.now(), JSON.stringify(knobs));
    await delivery.settled();
    return { attempt: sink.attempts[0], outcome: sink.outcomeOf(1), sink };
  }

  const cases: Array<[ProxyVersion, string, object, number, string | undefined]> = [
    ['v1', 'a valid response', { proxy: 'valid' }, 200, undefined],
    ['v1', 'the status the function chose', { proxy: 'valid', statusCode: 404 }, 404, undefined],
    ['v1', 'a body that is an object', { proxy: 'object-body' }, 502, 'Malformed Lambda proxy response'],
    ['v1', 'a field outside the contract', { proxy: 'extra-field' }, 502, 'Malformed Lambda proxy response'],
    ['v1', 'a plain string result', { proxy: 'string' }, 502, 'Malformed Lambda proxy response'],
    ['v1', 'a function error', { alwaysFail: true }, 502, 'PushError'],
    ['v2', 'a string result (the body itself)', { proxy: 'string' }, 200, undefined],
    ['v2', 'an object without statusCode', {}, 200, undefined],
    [
      'v2',
      'a malformed structured response',
      { proxy: 'object-body' },
      500,
      'Malformed Lambda proxy response',
    ],
    ['v2', 'a function error', { alwaysFail: true }, 500, 'PushError'],
  ];
  for (const [version, what, knobs, status, reason] of cases) {
    it(`${version}: ${what} → ${status}`, async () => {
      const { attempt, outcome } = await send(version, knobs);
      expect(attempt?.httpStatus).toBe(status);
      expect(outcome?.bucket).toBe(reason === undefined ? 'succeeded' : 'failed');
      expect(outcome?.reason).toBe(reason);
    });
  }

  it('answers 504 at the integration timeout while the function keeps running', async () => {
    const started = systemClock.now();
    const { attempt, outcome } = await send(
      'v1',
      { sleepMs: 600, tag: 'slow' },
      { integrationTimeoutMs: 100 },
    );
    expect(outcome).toMatchObject({
      bucket: 'failed',
      reason: 'IntegrationTimeout',
      attempts: 1,
      httpStatus: 504,
    });
    // The outcome is decided at the timeout; the call is recorded, marked, when the function ends.
    expect((outcome?.endMs ?? 0) - started).toBeLessThan((attempt?.endMs ?? 0) - started);
    expect(attempt?.answeredAfterIntegrationTimeout).toBe(true);
    expect(attempt?.result.status).toBe('ok');
    expect(attempt?.result.durationMs).toBeGreaterThanOrEqual(590);
  });

  for (const [version, status] of [
    ['v1', 500],
    ['v2', 429],
  ] as const) {
    it(`${version}: a Lambda throttle (reserved concurrency 1) → ${status}`, async () => {
      const sink = new RecordingSink();
      const delivery = createApiGatewayDelivery(
        { target: fns.target, sink, clock: systemClock, key: fns.keyFor('api-narrow', 'apigateway') },
        { version },
      );
      const now = systemClock.now();
      await Promise.all([
        delivery.deliver(1, now, JSON.stringify({ proxy: 'valid', sleepMs: 300, tag: 'a' })),
        delivery.deliver(2, now, JSON.stringify({ proxy: 'valid', sleepMs: 300, tag: 'b' })),
      ]);
      const statuses = sink.attempts.map((a) => a.httpStatus).sort();
      expect(statuses).toEqual([200, status].sort());
      const throttled = sink.attempts.find((a) => a.httpStatus === status);
      expect(throttled?.result.status).toBe('throttled');
      expect(sink.outcomeOf(throttled?.eventId ?? -1)).toMatchObject({
        bucket: 'failed',
        reason: 'TooManyRequestsException',
      });
    });
  }
});
