/**
 * Asynchronous delivery (S3, SNS, EventBridge, invoke with async: true): Lambda's async queue with
 * retries, throttle back-off, maximum event age and an on-failure destination (see async-queue.ts).
 * End-to-end latency is outcome.endMs − intendedStartMs, computed by the recorder.
 */

import { senderConfig } from './async-config.js';
import {
  type AsyncQueue,
  type AsyncQueueOptions,
  createAsyncQueue,
  type QueueSender,
} from './async-queue.js';
import { Pending } from './pending.js';
import type { Delivery, DeliveryContext } from './types.js';

export interface AsyncDeliveryOptions extends AsyncQueueOptions {
  /**
   * The function's shared queue (createAsyncQueue), when several sources deliver to one function:
   * its concurrency, order and throttle back-off apply; `config`'s retry settings still govern
   * this source's events. Default: a queue of its own.
   */
  queue?: AsyncQueue;
}

export function createAsyncDelivery(ctx: DeliveryContext, options: AsyncDeliveryOptions = {}): Delivery {
  const shared = options.queue;
  const queue = shared ?? createAsyncQueue(ctx, options);
  const sender: QueueSender = { ctx };
  if (options.destination) sender.destination = options.destination;
  if (options.functionArn !== undefined) sender.functionArn = options.functionArn;
  if (shared && options.config) sender.config = senderConfig(shared.config, options.config);
  const pending = new Pending();
  let flushing: Promise<void> | undefined;

  async function run(eventId: number, intendedStartMs: number, payload: string): Promise<void> {
    const final = await queue.enqueue(eventId, intendedStartMs, payload, sender);
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
      // A shared queue keeps serving the function's other sources.
      if (shared) shared.stop(sender);
      else queue.stop();
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
