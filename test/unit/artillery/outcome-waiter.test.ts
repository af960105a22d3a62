/** A virtual user's wait for its event's outcome(s), whatever order the sink hears of them in. */
import { describe, expect, it } from 'vitest';
import { createOutcomeWaiter } from '../../../src/artillery/outcome-waiter.js';
import type { MetricsSink, OutcomeRecord, SeriesKey } from '../../../src/metrics/types.js';

const key = (functionName: string): SeriesKey => ({
  source: 'orders',
  functionName,
  qualifier: 'q',
  memoryMB: 128,
});
const outcome = (k: SeriesKey, eventId: number): OutcomeRecord => ({
  key: k,
  eventId,
  bucket: 'succeeded',
  attempts: 1,
  intendedStartMs: 0,
  endMs: 1,
});

function recordingSink(): MetricsSink & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    arrival: (k, id) => seen.push(`arrival ${k.functionName} ${id}`),
    attempt: () => seen.push('attempt'),
    outcome: (r) => seen.push(`outcome ${r.key.functionName} ${r.eventId}`),
    retry: () => seen.push('retry'),
    filtered: () => seen.push('filtered'),
  };
}

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('createOutcomeWaiter', () => {
  it('waits after delivery until every function key of the event has its outcome (a pull source)', async () => {
    // Prepare
    const inner = recordingSink();
    const waiter = createOutcomeWaiter(inner);
    const tracked = waiter.track('orders', 7, 60_000);

    // Act: the record is put (two consumers), delivery returns, outcomes come later
    waiter.sink.arrival(key('a'), 7, 0);
    waiter.sink.arrival(key('b'), 7, 0);
    tracked.delivered();
    const afterDelivery = await settled(tracked.done);
    waiter.sink.outcome(outcome(key('a'), 8)); // another event's
    waiter.sink.outcome(outcome(key('a'), 7));
    const afterOne = await settled(tracked.done);
    waiter.sink.outcome(outcome(key('b'), 7));

    // Assess
    expect(afterDelivery).toBe(false);
    expect(afterOne).toBe(false);
    expect(await settled(tracked.done)).toBe(true);
    expect(inner.seen).toEqual(['arrival a 7', 'arrival b 7', 'outcome a 8', 'outcome a 7', 'outcome b 7']);
  });

  it('resolves at delivery when the outcome came first (a push source)', async () => {
    const waiter = createOutcomeWaiter(recordingSink());
    const tracked = waiter.track('orders', 1, 60_000);
    waiter.sink.arrival(key('a'), 1, 0);
    waiter.sink.outcome(outcome(key('a'), 1));
    expect(await settled(tracked.done)).toBe(false);
    tracked.delivered();
    expect(await settled(tracked.done)).toBe(true);
  });

  it('gives up after the grace, leaving the record in flight', async () => {
    const waiter = createOutcomeWaiter(recordingSink());
    const tracked = waiter.track('orders', 2, 20);
    waiter.sink.arrival(key('a'), 2, 0);
    tracked.delivered();
    await expect(tracked.done).resolves.toBeUndefined();
  });
});
