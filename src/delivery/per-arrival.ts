/**
 * The Delivery shell for sources that call the function once per arrival (sync, API Gateway):
 * tracks what is still owed to the ledger, and after stop() records new arrivals as in flight
 * without calling the target.
 */
import { Pending } from './pending.js';
import type { Delivery, DeliveryContext } from './types.js';

/** Handles one arrival; `pending` tracks work that outlives the returned promise. */
export type DeliverOne = (
  eventId: number,
  intendedStartMs: number,
  payload: string,
  pending: Pending,
) => Promise<void>;

export function perArrivalDelivery(ctx: DeliveryContext, deliverOne: DeliverOne): Delivery {
  const pending = new Pending();
  let stopped = false;

  async function run(eventId: number, intendedStartMs: number, payload: string): Promise<void> {
    if (!stopped) return deliverOne(eventId, intendedStartMs, payload, pending);
    ctx.sink.outcome({
      key: ctx.key,
      eventId,
      bucket: 'in-flight',
      reason: 'stopped before the call',
      attempts: 0,
      intendedStartMs,
      endMs: ctx.clock.now(),
    });
  }

  return {
    key: ctx.key,
    deliver: (eventId, intendedStartMs, payload) => pending.track(run(eventId, intendedStartMs, payload)),
    stop() {
      stopped = true;
    },
    settled: () => pending.idle(),
  };
}
