import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { createApiGatewayDelivery } from '../../../src/delivery/api-gateway.js';
import { createSyncDelivery } from '../../../src/delivery/sync.js';
import { key, RecordingSink } from './helpers/recording-sink.js';
import { ScriptedTarget, type Step } from './helpers/scripted-target.js';
import { VirtualClock } from './helpers/virtual-clock.js';

function setup(steps: Step[]) {
  const clock = new VirtualClock();
  const target = new ScriptedTarget(clock, steps);
  const sink = new RecordingSink();
  return { clock, target, sink, ctx: { target, sink, clock, key: key('apigateway') } };
}

describe('sync delivery', () => {
  it('one call: ok → succeeded, anything else → failed with the errorType, never retried', async () => {
    const { clock, target, sink, ctx } = setup(['ok', 'function-error', 'throttled', 'timeout']);
    const delivery = createSyncDelivery(ctx);
    for (let i = 0; i < 4; i++) {
      void delivery.deliver(i, 0, '{}');
      await clock.runAll();
    }
    await delivery.settled();
    expect(target.calls).toHaveLength(4);
    expect(sink.outcomes.map((o) => [o.bucket, o.reason ?? null, o.attempts])).toEqual([
      ['succeeded', null, 1],
      ['failed', 'Error', 1],
      ['failed', 'TooManyRequestsException', 1],
      ['failed', 'Sandbox.Timedout', 1],
    ]);
    expect(sink.retries).toHaveLength(0);
  });

  it('turns a target that throws into a recorded service-error attempt, not a lost event', async () => {
    const { clock, sink } = setup(['ok']);
    const throwing = {
      info: { kind: 'local' as const, notes: [] },
      ensureFunction: async () => {},
      prepare: async () => '1',
      forceColdStart: async () => '1',
      close: async () => {},
      invoke: async () => {
        throw Object.assign(new Error('no such function'), { type: 'ResourceNotFoundException' });
      },
    };
    const delivery = createSyncDelivery({ target: throwing, sink, clock, key: key() });
    await delivery.deliver(1, 0, '{}');
    expect(sink.attempts[0]?.result).toMatchObject({
      status: 'service-error',
      errorType: 'ResourceNotFoundException',
    });
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'failed', reason: 'ResourceNotFoundException' });
  });

  it('after stop, new arrivals end in-flight without a call', async () => {
    const { target, sink, ctx } = setup(['ok']);
    const delivery = createSyncDelivery(ctx);
    delivery.stop();
    await delivery.deliver(1, 0, '{}');
    expect(target.calls).toHaveLength(0);
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'in-flight', attempts: 0 });
  });
});

describe('API Gateway delivery in virtual time', () => {
  it('stores the client status on the attempt and succeeds for any valid proxy response', async () => {
    const { clock, sink, ctx } = setup([
      { status: 'ok', payload: '{"statusCode":404,"body":"no"}', delayMs: 5 },
    ]);
    const delivery = createApiGatewayDelivery(ctx, { version: 'v1' });
    void delivery.deliver(1, 0, '{}');
    await clock.runAll();
    expect(sink.attempts[0]?.httpStatus).toBe(404);
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'succeeded', endMs: 5 });
  });

  it('answers 504 at the integration timeout and records the call, marked, when the function ends', async () => {
    const { clock, sink, ctx } = setup([{ status: 'ok', payload: '{"statusCode":200}', delayMs: 40_000 }]);
    const delivery = createApiGatewayDelivery(ctx, { version: 'v2' });
    let resolved = false;
    void delivery.deliver(1, 0, '{}').then(() => {
      resolved = true;
    });
    await clock.advance(29_000);
    expect(resolved).toBe(true);
    expect(sink.outcomeOf(1)).toMatchObject({
      bucket: 'failed',
      reason: 'IntegrationTimeout',
      endMs: 29_000,
      httpStatus: 504,
    });
    expect(sink.attempts).toHaveLength(0);
    let settled = false;
    void delivery.settled().then(() => {
      settled = true;
    });
    await clock.advance(1);
    expect(settled).toBe(false); // the function is still running
    await clock.runAll();
    expect(settled).toBe(true);
    // The client's 504 is on the outcome; the call carries no second status, only the mark.
    expect(sink.attempts[0]).toMatchObject({ endMs: 40_000, answeredAfterIntegrationTimeout: true });
    expect(sink.attempts[0]?.httpStatus).toBeUndefined();
    expect(sink.attempts[0]?.result.status).toBe('ok');
    expect(sink.outcomes).toHaveLength(1);
  });

  it('uses a configured integration timeout and rejects one out of range', () => {
    const { ctx } = setup(['ok']);
    expect(() => createApiGatewayDelivery(ctx, { version: 'v2', integrationTimeoutMs: 31_000 })).toThrow(
      InputError,
    );
    expect(() => createApiGatewayDelivery(ctx, { version: 'v1', integrationTimeoutMs: 0 })).toThrow(
      /integrationTimeout must be more than 0/,
    );
    expect(() => createApiGatewayDelivery(ctx, { version: 'v1', integrationTimeoutMs: 50 })).not.toThrow();
  });
});
