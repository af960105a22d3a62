/**
 * Lambda's asynchronous invocation queue, emulated in the harness: events wait in an internal
 * queue, a bounded number of pollers invoke the function (RequestResponse, so every attempt is
 * observed), and failures follow AWS's rules (invocation-async-error-handling):
 *   - function errors (incl. timeouts, OOM, runtime errors) are retried maximumRetryAttempts times,
 *     after retryDelays (AWS: about 1 min, then 2 min);
 *   - throttles and service errors (429 / 5xx) go back to the queue WITHOUT spending a retry, with
 *     exponential back-off from 1 s up to 5 min, until the event is maximumEventAge old;
 *   - an event past its maximum age is `expired`, or dead-lettered (EventAgeExceeded) when an
 *     on-failure destination is configured;
 *   - after the last retry fails: `dead-lettered` (RetriesExhausted) with a destination, else `failed`;
 *   - reserved concurrency 0 sends every event straight to the destination, without invoking.
 * Every delay runs on the injected clock, so unit tests drive the queue in virtual time.
 */
import type { LedgerBucket } from '../metrics/types.js';
import type { InvocationResult } from '../targets/types.js';
import {
  type AsyncConfig,
  queueWidth,
  resolveAsyncConfig,
  retryDelayMs,
  throttleBackoffMs,
} from './async-config.js';
import {
  callTarget,
  failureReason,
  isFunctionError,
  isRetryableServiceError,
  recordAttempt,
} from './call-target.js';
import type { DestinationFile } from './destination-file.js';
import { buildInvocationRecord, type FailureCondition, functionArn } from './destination-record.js';
import type { DeliveryContext } from './types.js';

/** How one event ended in the queue. */
export interface AsyncFinal {
  bucket: LedgerBucket;
  reason?: string;
  /** Calls made to the function. */
  attempts: number;
  /** Monotonic ms when the outcome was decided. */
  endMs: number;
  lastResult?: InvocationResult;
}

export interface AsyncQueueOptions {
  config?: Partial<AsyncConfig>;
  /** The on-failure destination; without one, exhausted events are `failed` and old ones `expired`. */
  destination?: DestinationFile;
  /** ARN written into destination records; default built from the key's function and qualifier. */
  functionArn?: string;
}

/**
 * Who an event belongs to when several deliveries share one function's queue (S3 and EventBridge
 * both targeting one function): its calls are reported under its own key and its failures go to its
 * own destination. The concurrency bound, the order and the throttle back-off are the queue's (the
 * function's), so one source's throttles and retries delay the others' events, as on Lambda.
 */
export interface QueueSender {
  ctx: DeliveryContext;
  destination?: DestinationFile;
  functionArn?: string;
  /**
   * The retry settings for this sender's events (maximumRetryAttempts, retry delays, maximum event
   * age); default the queue's. On AWS they are one setting per function: a scenario that gives two
   * sources of one function different `retries` gets each source's own.
   */
  config?: AsyncConfig;
}

export interface AsyncQueue {
  readonly config: AsyncConfig;
  /** Queues one event (for `sender`, default the queue's own context); resolves with its final outcome, never rejects. */
  enqueue(
    eventId: number,
    intendedStartMs: number,
    payload: string,
    sender?: QueueSender,
  ): Promise<AsyncFinal>;
  /**
   * Ends waiting events as `in-flight` (only `sender`'s when given, and only its new ones are
   * refused after); running calls finish.
   */
  stop(sender?: QueueSender): void;
}

interface Item {
  sender: QueueSender;
  arn: string;
  eventId: number;
  intendedStartMs: number;
  payload: string;
  invokes: number;
  retries: number;
  requeues: number;
  /** When the next attempt was due (the arrival time for the first). */
  dueMs: number;
  last?: InvocationResult;
  cancelTimer?: () => void;
  resolve: (final: AsyncFinal) => void;
}

export function createAsyncQueue(ctx: DeliveryContext, options: AsyncQueueOptions = {}): AsyncQueue {
  const config = resolveAsyncConfig(options.config);
  const width = queueWidth(config);
  const own: QueueSender = { ctx };
  if (options.destination) own.destination = options.destination;
  if (options.functionArn !== undefined) own.functionArn = options.functionArn;
  const ready: Item[] = [];
  const waiting = new Set<Item>();
  const stoppedSenders = new Set<QueueSender>();
  let running = 0;
  let stopped = false;
  const isStopped = (item: Item) => stopped || stoppedSenders.has(item.sender);
  const configOf = (item: Item): AsyncConfig => item.sender.config ?? config;

  function finish(item: Item, bucket: LedgerBucket, reason?: string): void {
    const final: AsyncFinal = { bucket, attempts: item.invokes, endMs: ctx.clock.now() };
    if (reason !== undefined) final.reason = reason;
    if (item.last) final.lastResult = item.last;
    item.resolve(final);
  }

  /** The event leaves the queue unprocessed: to the destination when there is one. */
  function fail(item: Item, condition: FailureCondition, noDestination: LedgerBucket, reason: string): void {
    const destination = item.sender.destination;
    if (!destination) {
      finish(item, noDestination, reason);
      return;
    }
    destination.append(
      buildInvocationRecord({
        wallNowMs: ctx.clock.wallNow(),
        functionArn: item.arn,
        condition,
        invokeCount: item.invokes,
        requestPayload: item.payload,
        lastResult: item.last,
      }),
    );
    finish(item, 'dead-lettered', reason);
  }

  function expire(item: Item): void {
    const why = item.last ? `EventAgeExceeded after ${failureReason(item.last)}` : 'EventAgeExceeded';
    fail(item, 'EventAgeExceeded', 'expired', why);
  }

  /**
   * Puts the item back after `delayMs` (reporting the retry), or — when the event would be older than
   * its maximum age by then — expires it at that age without reporting a retry that never happens.
   */
  function schedule(item: Item, delayMs: number, reason: string): void {
    const now = ctx.clock.now();
    const expiresAt = item.intendedStartMs + configOf(item).maximumEventAgeMs;
    const due = now + delayMs;
    const expires = due >= expiresAt;
    if (!expires) item.sender.ctx.sink.retry(item.sender.ctx.key, item.eventId, reason);
    waiting.add(item);
    item.cancelTimer = ctx.clock.setTimer(expires ? Math.max(0, expiresAt - now) : delayMs, () => {
      waiting.delete(item);
      if (expires) return expire(item);
      item.dueMs = due;
      ready.push(item);
      pump();
    });
  }

  function pump(): void {
    while (!stopped && running < width && ready.length > 0) {
      const item = ready.shift() as Item;
      if (ctx.clock.now() - item.intendedStartMs >= configOf(item).maximumEventAgeMs) {
        expire(item);
        continue;
      }
      running += 1;
      void attempt(item).finally(() => {
        running -= 1;
        pump();
      });
    }
  }

  async function attempt(item: Item): Promise<void> {
    const sender = item.sender.ctx;
    const call = await callTarget(sender, item.payload);
    item.invokes += 1;
    item.last = call.result;
    recordAttempt(sender, item.eventId, item.invokes, item.dueMs, call);
    const result = call.result;
    if (result.status === 'ok') return finish(item, 'succeeded');
    if (isFunctionError(result.status)) {
      if (item.retries >= configOf(item).maximumRetryAttempts) {
        return fail(item, 'RetriesExhausted', 'failed', failureReason(result));
      }
      if (isStopped(item)) return finish(item, 'in-flight', `stopped before retry: ${failureReason(result)}`);
      item.retries += 1;
      return schedule(item, retryDelayMs(configOf(item), item.retries), failureReason(result));
    }
    if (result.status === 'throttled' || isRetryableServiceError(result)) {
      if (isStopped(item))
        return finish(item, 'in-flight', `stopped before re-queue: ${failureReason(result)}`);
      item.requeues += 1;
      return schedule(item, throttleBackoffMs(config, item.requeues), failureReason(result));
    }
    // A 4xx service error (function not found, payload too large): no retry can succeed.
    return finish(item, 'failed', failureReason(result));
  }

  return {
    config,
    enqueue(eventId, intendedStartMs, payload, sender = own) {
      return new Promise<AsyncFinal>((resolve) => {
        const { key } = sender.ctx;
        const item: Item = {
          sender,
          arn:
            sender.functionArn ?? functionArn({ functionName: key.functionName, qualifier: key.qualifier }),
          eventId,
          intendedStartMs,
          payload,
          invokes: 0,
          retries: 0,
          requeues: 0,
          dueMs: intendedStartMs,
          resolve,
        };
        if (isStopped(item)) return finish(item, 'in-flight', 'stopped before the call');
        // Reserved concurrency 0 throttles every invoke: Lambda sends the event on without retries.
        if (config.reservedConcurrency === 0) {
          return fail(item, 'ZeroReservedConcurrency', 'dropped', 'ZeroReservedConcurrency');
        }
        ready.push(item);
        pump();
      });
    },
    stop(sender) {
      if (stopped) return;
      if (sender === undefined) stopped = true;
      else stoppedSenders.add(sender);
      const mine = (item: Item) => sender === undefined || item.sender === sender;
      for (const item of [...waiting]) {
        if (!mine(item)) continue;
        waiting.delete(item);
        item.cancelTimer?.();
        finish(
          item,
          'in-flight',
          `stopped while waiting: ${item.last ? failureReason(item.last) : 'queued'}`,
        );
      }
      const kept: Item[] = [];
      for (const item of ready.splice(0)) {
        if (mine(item)) finish(item, 'in-flight', 'stopped while queued');
        else kept.push(item);
      }
      ready.push(...kept);
    },
  };
}
