/**
 * CloudFormation custom-resource delivery: Lambda is invoked asynchronously (so the async queue's
 * retries apply and handlers must be idempotent), and the stack operation's result is the PUT the
 * handler sends to ResponseURL — the function's return value is ignored.
 *
 * Outcome: a valid SUCCESS response → succeeded; a valid FAILED response → failed "FAILED: <Reason>";
 * an invalid, oversized or non-JSON response → failed naming the problem; no response within
 * responseTimeoutMs → failed "no response …" (dead-lettered when the async queue had already
 * dead-lettered the event by then). The outcome is decided when the PUT arrives, even if the function is still running.
 */
import type { Target } from '../targets/types.js';
import { senderConfig } from './async-config.js';
import {
  type AsyncFinal,
  type AsyncQueue,
  type AsyncQueueOptions,
  createAsyncQueue,
  type QueueSender,
} from './async-queue.js';
import type { CfnWait, ResponseEndpoint } from './cfn-endpoint.js';
import {
  type CfnRequestIds,
  cfnRequestIds,
  cfnServiceTimeoutMs,
  checkCfnResponse,
  withResponseUrl,
} from './cfn-response.js';
import { Pending } from './pending.js';
import type { Delivery, DeliveryContext } from './types.js';

export interface CloudFormationOptions extends AsyncQueueOptions {
  endpoint: ResponseEndpoint;
  /** The function's shared async queue (see AsyncDeliveryOptions.queue); default a queue of its own. */
  queue?: AsyncQueue;
  /**
   * How long CloudFormation waits for the PUT. Default: the event's ServiceTimeout when it has one,
   * else 3,600,000 ms (1 h, CloudFormation's default).
   */
  responseTimeoutMs?: number;
}

export const DEFAULT_CFN_RESPONSE_TIMEOUT_MS = 3_600_000;

type Decision = {
  bucket: 'succeeded' | 'failed' | 'dead-lettered' | 'in-flight';
  reason?: string;
  endMs: number;
};

export function createCloudFormationDelivery(ctx: DeliveryContext, options: CloudFormationOptions): Delivery {
  // Calls started per event (keyed by the patched payload, unique per event through its ResponseURL),
  // so an outcome decided while the function still runs counts that running call.
  const started = new Map<string, number>();
  const target: Target = {
    info: ctx.target.info,
    ensureFunction: (fn) => ctx.target.ensureFunction(fn),
    prepare: (fn, setting) => ctx.target.prepare(fn, setting),
    forceColdStart: (fn, qualifier) => ctx.target.forceColdStart(fn, qualifier),
    close: () => ctx.target.close(),
    invoke(req) {
      const k = String(req.payload);
      started.set(k, (started.get(k) ?? 0) + 1);
      return ctx.target.invoke(req);
    },
  };
  const shared = options.queue;
  const queue = shared ?? createAsyncQueue({ ...ctx, target }, options);
  // In a shared queue this source's calls go through its own counting target and report under its key.
  const sender: QueueSender = { ctx: { ...ctx, target } };
  if (options.destination) sender.destination = options.destination;
  if (options.functionArn !== undefined) sender.functionArn = options.functionArn;
  if (shared && options.config) sender.config = senderConfig(shared.config, options.config);
  const scope = ctx.key.source;
  const pending = new Pending();
  let onStop: () => void = () => {};
  const stopped = new Promise<CfnWait>((resolve) => {
    onStop = () => resolve({ received: false, reason: 'closed' });
  });
  let flushing: Promise<void> | undefined;

  function judge(
    wait: CfnWait,
    ids: CfnRequestIds,
    final: AsyncFinal | undefined,
    timeoutMs: number,
  ): Decision {
    if (wait.received) {
      const { response } = wait;
      const endMs = response.receivedAtMs;
      const verdict = checkCfnResponse(response.body, ids, response.bytes);
      if (!verdict.valid) return { bucket: 'failed', reason: `invalid response: ${verdict.problem}`, endMs };
      if (verdict.status === 'SUCCESS') return { bucket: 'succeeded', endMs };
      return { bucket: 'failed', reason: `FAILED: ${verdict.reason ?? ''}`, endMs };
    }
    const endMs = ctx.clock.now();
    if (wait.reason === 'closed')
      return { bucket: 'in-flight', reason: 'stopped while waiting for the response', endMs };
    const function_ = final ? `; function ${final.bucket}${final.reason ? ` (${final.reason})` : ''}` : '';
    if (final?.bucket === 'dead-lettered') {
      return { bucket: 'dead-lettered', reason: `no response within ${timeoutMs} ms${function_}`, endMs };
    }
    return { bucket: 'failed', reason: `no response within ${timeoutMs} ms${function_}`, endMs };
  }

  async function run(eventId: number, intendedStartMs: number, payload: string): Promise<void> {
    const report = (d: Decision, count: number) =>
      ctx.sink.outcome({
        key: ctx.key,
        eventId,
        bucket: d.bucket,
        ...(d.reason === undefined ? {} : { reason: d.reason }),
        attempts: count,
        intendedStartMs,
        endMs: d.endMs,
      });
    let ids: CfnRequestIds;
    let event: string;
    let timeoutMs: number;
    try {
      const request = JSON.parse(payload) as Record<string, unknown>;
      ids = cfnRequestIds(request, eventId);
      timeoutMs =
        options.responseTimeoutMs ?? cfnServiceTimeoutMs(request) ?? DEFAULT_CFN_RESPONSE_TIMEOUT_MS;
      event = withResponseUrl(payload, options.endpoint.urlFor(eventId, scope));
    } catch (error) {
      report({ bucket: 'failed', reason: (error as Error).message, endMs: ctx.clock.now() }, 0);
      return;
    }
    const response = Promise.race([options.endpoint.waitFor(eventId, timeoutMs, scope), stopped]);
    let final: AsyncFinal | undefined;
    void pending
      .track(queue.enqueue(eventId, intendedStartMs, event, shared ? sender : undefined))
      .then((f) => {
        final = f;
        started.delete(event);
      });
    const wait = await response;
    report(judge(wait, ids, final, timeoutMs), final?.attempts ?? started.get(event) ?? 0);
  }

  return {
    key: ctx.key,
    deliver: (eventId, intendedStartMs, payload) => pending.track(run(eventId, intendedStartMs, payload)),
    stop() {
      if (shared) shared.stop(sender);
      else queue.stop();
      onStop();
      flushing = options.destination?.flush();
      flushing?.catch(() => undefined);
    },
    async settled() {
      await pending.idle();
      await flushing;
      await options.destination?.flush();
    },
  };
}
