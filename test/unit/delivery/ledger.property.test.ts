import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApiGatewayDelivery } from '../../../src/delivery/api-gateway.js';
import { createAsyncDelivery } from '../../../src/delivery/async.js';
import type { DestinationFile } from '../../../src/delivery/destination-file.js';
import { createSyncDelivery } from '../../../src/delivery/sync.js';
import type { Delivery } from '../../../src/delivery/types.js';
import { LEDGER_BUCKETS } from '../../../src/metrics/types.js';
import { key, RecordingSink } from './helpers/recording-sink.js';
import { ScriptedTarget, type Step } from './helpers/scripted-target.js';
import { VirtualClock } from './helpers/virtual-clock.js';

const step: fc.Arbitrary<Step> = fc.record({
  status: fc.constantFrom('ok', 'function-error', 'timeout', 'out-of-memory', 'throttled', 'service-error'),
  delayMs: fc.integer({ min: 0, max: 50 }),
});

const scenario = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 12 }),
  arrivals: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 15 }),
  stopAt: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  maximumRetryAttempts: fc.integer({ min: 0, max: 2 }),
  maximumEventAgeMs: fc.integer({ min: 1, max: 500 }),
  reservedConcurrency: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  withDestination: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function memoryDestination(): DestinationFile & { records: unknown[] } {
  const records: unknown[] = [];
  return {
    path: 'memory',
    records,
    append: (r) => records.push(r),
    flush: async () => {},
    get lines() {
      return records.length;
    },
  };
}

/** Drives a delivery through a random scenario and checks the ledger invariant. */
async function check(
  make: (ctx: { target: ScriptedTarget; sink: RecordingSink; clock: VirtualClock }) => Delivery,
  s: Scenario,
): Promise<RecordingSink> {
  const clock = new VirtualClock();
  const target = new ScriptedTarget(clock, s.steps);
  const sink = new RecordingSink();
  const delivery = make({ target, sink, clock });
  const done: Promise<void>[] = [];
  const times = [...s.arrivals].sort((a, b) => a - b);
  let stopped = false;
  for (const [id, at] of times.entries()) {
    if (s.stopAt !== undefined && !stopped && s.stopAt <= at) {
      await clock.advance(s.stopAt - clock.now());
      delivery.stop();
      stopped = true;
    }
    await clock.advance(at - clock.now());
    done.push(delivery.deliver(id, at, JSON.stringify({ id })));
  }
  if (s.stopAt !== undefined && !stopped) {
    await clock.advance(Math.max(0, s.stopAt - clock.now()));
    delivery.stop();
  }
  await clock.runAll();
  await Promise.all(done);
  await delivery.settled();

  // Every arrival has exactly one outcome, in a ledger bucket; attempts match the calls made.
  expect(sink.outcomes.map((o) => o.eventId).sort((a, b) => a - b)).toEqual(times.map((_, i) => i));
  for (const o of sink.outcomes) {
    expect(LEDGER_BUCKETS).toContain(o.bucket);
    expect(o.attempts).toBe(sink.attempts.filter((a) => a.eventId === o.eventId).length);
    expect(o.endMs).toBeGreaterThanOrEqual(o.intendedStartMs);
  }
  expect(sink.attempts).toHaveLength(target.calls.length);
  expect(clock.pendingTimers).toBe(0);
  return sink;
}

describe('ledger completeness under random scripts (fast-check)', () => {
  it('async: every arrival ends in exactly one bucket, dead letters match the destination lines', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const destination = memoryDestination();
        const sink = await check(
          (ctx) =>
            createAsyncDelivery(
              { ...ctx, key: key() },
              {
                config: {
                  maximumRetryAttempts: s.maximumRetryAttempts,
                  retryDelaysMs: [30, 60],
                  throttleBackoffBaseMs: 10,
                  throttleBackoffCapMs: 40,
                  maximumEventAgeMs: s.maximumEventAgeMs,
                  pollerWidth: 2,
                  ...(s.reservedConcurrency === undefined
                    ? {}
                    : { reservedConcurrency: s.reservedConcurrency }),
                },
                ...(s.withDestination ? { destination } : {}),
              },
            ),
          s,
        );
        const deadLettered = sink.outcomes.filter((o) => o.bucket === 'dead-lettered').length;
        expect(destination.records).toHaveLength(s.withDestination ? deadLettered : 0);
        if (!s.withDestination) expect(deadLettered).toBe(0);
        // A retry is reported before every call after the first; one more only when the event then
        // aged out or the run stopped before that call could start.
        for (const o of sink.outcomes) {
          const retries = sink.retries.filter((r) => r.eventId === o.eventId).length;
          const extra = retries - Math.max(0, o.attempts - 1);
          expect(
            extra === 0 || (extra === 1 && ['expired', 'dead-lettered', 'in-flight'].includes(o.bucket)),
          ).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('sync and API Gateway: exactly one outcome per arrival, even with integration timeouts and stops', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.boolean(),
        fc.integer({ min: 1, max: 60 }),
        async (s, proxy, timeoutMs) => {
          await check(
            (ctx) =>
              proxy
                ? createApiGatewayDelivery(
                    { ...ctx, key: key('apigateway') },
                    { version: 'v2', integrationTimeoutMs: timeoutMs },
                  )
                : createSyncDelivery({ ...ctx, key: key('alexa') }),
            s,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
