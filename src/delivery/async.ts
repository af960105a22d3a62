/**
 * Asynchronous delivery (S3, SNS, EventBridge, invoke with async: true): Lambda's async queue with
 * retries, throttle back-off, maximum event age and an on-failure destination (see async-queue.ts).
 * End-to-end latency is outcome.endMs − intendedStartMs, computed by the recorder.
 */
import { type AsyncQueueOptions, createAsyncQueue } from './async-queue.js';
import { Pending } from './pending.js';
import type { Delivery, DeliveryContext } from './types.js';

export type AsyncDeliveryOptions = AsyncQueueOptions;

export function createAsyncDelivery(ctx: DeliveryContext, options: AsyncDeliveryOptions = {}): Delivery {
  const queue = createAsyncQueue(ctx, options);
  const pending = new Pending();
  let flushing: Promise<void> | undefined;

  async function run(eventId: number, intendedStartMs: number, payload: string): Promise<void> {
    const final = await queue.enqueue(eventId, intendedStartMs, payload);
    ctx.sink.outcome({
      key: ctx.key,
      eventId,
      bucket: final.bucket,
      ...(final.reason === undefined ? {} : { reason: final.reason }),
      attempts: final.attempts,
      intendedStartMs,
      endMs: final.endMs,
    });
  }

  return {
    key: ctx.key,
    deliver: (eventId, intendedStartMs, payload) => pending.track(run(eventId, intendedStartMs, payload)),
    stop() {
      queue.stop();
      flushing = options.destination?.flush();
      flushing?.catch(() => undefined); // reported by settled()
    },
    async settled() {
      await pending.idle();
      await flushing;
      await options.destination?.flush();
    },
  };
}
