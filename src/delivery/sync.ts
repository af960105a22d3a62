/**
 * Synchronous delivery (direct RequestResponse invoke, Alexa): one call, no retries. Lambda never
 * retries a synchronous invoke; the calling service or client decides, and lambench's run decides
 * for them (a retrying client is modelled by the scenario, not here).
 */
import { type CallOutcome, callTarget, failureReason, recordAttempt } from './call-target.js';
import { perArrivalDelivery } from './per-arrival.js';
import type { Delivery, DeliveryContext } from './types.js';

/** ok → succeeded; function error, timeout, OOM, throttle, service error → failed (reason = errorType). */
export function createSyncDelivery(ctx: DeliveryContext): Delivery {
  return perArrivalDelivery(ctx, async (eventId, intendedStartMs, payload) => {
    await callOnce(ctx, eventId, intendedStartMs, payload);
  });
}

/**
 * One call and its outcome, never retried: the attempt is recorded, and the arrival succeeded when
 * the target answered ok (for an Event invoke: when Lambda accepted the event).
 */
export async function callOnce(
  ctx: DeliveryContext,
  eventId: number,
  intendedStartMs: number,
  payload: string | Uint8Array,
  type: 'RequestResponse' | 'Event' = 'RequestResponse',
): Promise<CallOutcome> {
  const call = await callTarget(ctx, payload, type);
  recordAttempt(ctx, eventId, 1, intendedStartMs, call);
  const ok = call.result.status === 'ok';
  ctx.sink.outcome({
    key: ctx.key,
    eventId,
    bucket: ok ? 'succeeded' : 'failed',
    ...(ok ? {} : { reason: failureReason(call.result) }),
    attempts: 1,
    intendedStartMs,
    endMs: call.endMs,
  });
  return call;
}
