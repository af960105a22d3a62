/**
 * An SQS event source mapping over the in-memory queue (sqs-queue.ts).
 *
 * Rules reproduced (Lambda developer guide "Using Lambda with Amazon SQS", "scaling"): pollers
 * start at 5 concurrent batches and add up to 300 a minute (5 a second) while messages wait, up to
 * ScalingConfig.MaximumConcurrency (else 1,000), and scale back when the queue is empty; a batch
 * goes at BatchSize, 6 MB or the end of the batching window; on success the batch is deleted; on
 * a function error, a timeout, a throttle or a service error the messages stay in flight and come
 * back after the visibility timeout with a higher receive count (so throttles can push messages to
 * the DLQ, as on AWS); with ReportBatchItemFailures only the listed messageIds come back. Messages
 * the filter criteria reject are deleted unprocessed.
 *
 * Deviation: the visibility timeout of a batch runs from the end of its invocation, so an
 * invocation longer than the timeout never lets SQS hand its messages to a second poller.
 */
import { isInvoked } from '../../metrics/series-state.js';
import { callTarget, isFunctionError, recordAttempt } from '../call-target.js';
import type { DestinationFile } from '../destination-file.js';
import type { DeliveryContext } from '../types.js';
import { parseItemFailures } from './batch-item-failures.js';
import type { RecordFilter } from './filter-criteria.js';
import { MappingLedger, type RecordEnd } from './mapping-ledger.js';
import { MappingStats } from './mapping-stats.js';
import type { QueuedMessage, SqsQueue } from './sqs-queue.js';
import type { PullMapping } from './stream-mapping.js';
import { MAX_PAYLOAD_BYTES } from './types.js';

export interface SqsMappingOptions {
  batchSize: number;
  batchingWindowMs: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  /** How often idle pollers look again, and the scaling step. */
  pollIntervalMs: number;
  queue: SqsQueue;
  filter: RecordFilter;
  filterCount: number;
  /** The dead-letter queue, as a JSONL file of the messages moved there. */
  deadLetterQueue?: DestinationFile;
}

const START_CONCURRENCY = 5;
const SCALE_STEP_PER_SECOND = 5;
const MAX_CONCURRENCY = 1000;

export function createSqsMapping(ctx: DeliveryContext, options: SqsMappingOptions): PullMapping {
  const { clock, sink, key } = ctx;
  const { queue } = options;
  const cap = options.maximumConcurrency ?? MAX_CONCURRENCY;
  const stats = new MappingStats(
    'sqs',
    {
      batchSize: options.batchSize,
      batchingWindowMs: options.batchingWindowMs,
      parallelizationFactor: 1,
      shards: 0,
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: -1,
      maximumRecordAgeMs: -1,
      reportBatchItemFailures: options.reportBatchItemFailures,
      tumblingWindowMs: 0,
      filters: options.filterCount,
      fifo: queue.fifo,
      ...(options.maximumConcurrency === undefined ? {} : { maximumConcurrency: options.maximumConcurrency }),
      backend: 'memory',
    },
    clock.now(),
  );
  sink.streamSection?.(key, () => stats.results());
  let concurrency = Math.min(START_CONCURRENCY, cap);
  let active = 0;
  let stopped = false;
  let windowTimer: (() => void) | undefined;
  let windowExpired = false;
  let lastDispatchMs = clock.now();
  let pumpQueued = false;
  const timers = new Set<() => void>();
  const invoking = new Set<string>();
  const ledger = new MappingLedger(ctx, stats);
  const wake = () => ledger.wake();

  const settle = (
    messages: readonly QueuedMessage[],
    bucket: Exclude<RecordEnd, 'failed'>,
    reason?: string,
  ) => {
    const endMs = clock.now();
    for (const m of messages) ledger.outcome(m.id, m.sentMs, bucket, m.receiveCount, reason, endMs);
  };

  const later = (ms: number, fn: () => void) => {
    const cancel = clock.setTimer(ms, () => {
      timers.delete(cancel);
      fn();
    });
    timers.add(cancel);
  };

  /** Starts as many batches as the pollers and the batching window allow. */
  const pump = (): void => {
    while (!stopped && active < concurrency && queue.visible > 0) {
      const waiting = queue.visible;
      if (options.batchingWindowMs > 0 && waiting < options.batchSize && !windowExpired) {
        if (windowTimer) return;
        const due = Math.max(0, lastDispatchMs + options.batchingWindowMs - clock.now());
        windowTimer = clock.setTimer(due, () => {
          windowTimer = undefined;
          windowExpired = true;
          pump();
        });
        return;
      }
      windowExpired = false;
      const batch = receive();
      if (batch.length === 0) continue;
      lastDispatchMs = clock.now();
      void invoke(batch);
    }
  };

  const receive = (): QueuedMessage[] => {
    const { received, deadLettered, expired } = queue.receive(options.batchSize, clock.now());
    if (deadLettered.length > 0) {
      for (const m of deadLettered) options.deadLetterQueue?.append(m.record);
      stats.count('sentToDestination', deadLettered.length);
      settle(deadLettered, 'dead-lettered', 'maxReceiveCount exceeded: moved to the DLQ');
    }
    if (expired.length > 0) {
      stats.count('expired', expired.length);
      settle(expired, 'expired', 'MessageRetentionPeriod exceeded');
    }
    const batch: QueuedMessage[] = [];
    const unmatched: QueuedMessage[] = [];
    let bytes = 64;
    for (const m of received) {
      if (m.receiveCount > 1) stats.redeliveries++;
      if (!options.filter(m.record)) unmatched.push(m);
      else if (batch.length > 0 && bytes + JSON.stringify(m.record).length > MAX_PAYLOAD_BYTES) {
        queue.returnToQueue([m]);
      } else {
        batch.push(m);
        bytes += JSON.stringify(m.record).length;
      }
    }
    if (unmatched.length > 0) {
      // Messages no filter matches are deleted without invoking (Lambda "Event filtering").
      queue.delete(unmatched);
      stats.count('filtered', unmatched.length);
    }
    if (deadLettered.length + expired.length + unmatched.length > 0) wake();
    return batch;
  };

  const invoke = async (batch: QueuedMessage[]): Promise<void> => {
    active++;
    stats.maxConcurrentBatches = Math.max(stats.maxConcurrentBatches, active);
    for (const m of batch) invoking.add(m.messageId);
    const dispatchMs = clock.now();
    const payload = `{"Records":[${batch.map((m) => JSON.stringify(receivedRecord(m, clock.wallNow()))).join(',')}]}`;
    const call = await callTarget(ctx, payload);
    recordAttempt(
      ctx,
      (batch[0] as QueuedMessage).id,
      (batch[0] as QueuedMessage).receiveCount,
      dispatchMs,
      call,
    );
    active--;
    for (const m of batch) invoking.delete(m.messageId);
    const result = call.result;
    if (isInvoked(result.status))
      stats.batch(batch.length, call.endMs - Math.max(...batch.map((m) => m.sentMs)), call.endMs);
    let failed: QueuedMessage[] = batch;
    if (result.status === 'ok') {
      const verdict = options.reportBatchItemFailures
        ? parseItemFailures(
            new TextDecoder().decode(result.payload),
            batch.map((m) => m.messageId),
          )
        : ({ kind: 'success' } as const);
      if (verdict.kind === 'success') failed = [];
      else if (verdict.kind === 'partial') failed = verdict.failed.map((i) => batch[i] as QueuedMessage);
    }
    const done = batch.filter((m) => !failed.includes(m));
    queue.delete(done);
    if (done.length > 0) {
      stats.count('processed', done.length, clock.now());
      settle(done, 'succeeded');
    }
    if (failed.length > 0) {
      if (stopped) {
        queue.delete(failed);
        stats.count('inStream', failed.length);
        settle(failed, 'in-flight', 'in the queue when the run stopped');
      } else {
        stats.recordsRetried += failed.length;
        sink.retry(
          key,
          (failed[0] as QueuedMessage).id,
          isFunctionError(result.status) || result.status === 'ok'
            ? (result.errorType ?? 'batch item failures')
            : result.status,
        );
        // The messages come back when their visibility timeout ends.
        later(queue.visibilityTimeoutMs, () => {
          if (stopped) return;
          queue.returnToQueue(failed);
          pump();
        });
      }
    }
    wake();
    pump();
  };

  // Scaling: +5 concurrent batches a second while messages wait and every poller is busy; back to
  // the start when the queue is empty. Idle pollers also look again on this beat.
  const scale = () => {
    if (stopped) return;
    if (queue.visible > 0 && active >= concurrency)
      concurrency = Math.min(cap, concurrency + SCALE_STEP_PER_SECOND);
    else if (queue.visible === 0 && active === 0) concurrency = Math.min(START_CONCURRENCY, cap);
    pump();
    later(Math.min(1000, options.pollIntervalMs), scale);
  };
  later(Math.min(1000, options.pollIntervalMs), scale);

  return {
    stats,
    put(eventId, intendedMs, record) {
      stats.records.put++;
      const attributes = (record.attributes ?? {}) as Record<string, string>;
      const message: QueuedMessage = {
        id: eventId,
        record,
        messageId: String(record.messageId),
        group: attributes.MessageGroupId,
        sentMs: intendedMs,
        receiveCount: 0,
        invisibleUntilMs: 0,
      };
      attributes.SentTimestamp = String(Math.floor(clock.wallNow()));
      const pass = options.filter(record);
      if (stopped || !queue.send(message, attributes.MessageDeduplicationId, clock.now())) {
        ledger.refused(
          eventId,
          intendedMs,
          stopped ? 'sent after the run stopped' : 'MessageDeduplicationId seen within 5 minutes',
        );
        return;
      }
      if (pass) sink.arrival(key, eventId, intendedMs);
      else sink.filtered(key, eventId);
      // A long poll returns what arrived together: sends of the same turn share a receive.
      if (!pumpQueued) {
        pumpQueued = true;
        later(0, () => {
          pumpQueued = false;
          pump();
        });
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      windowTimer?.();
      for (const cancel of timers) cancel();
      timers.clear();
      const left = queue.drain().filter((m) => !invoking.has(m.messageId));
      const matched = left.filter((m) => options.filter(m.record));
      stats.count('inStream', left.length);
      settle(matched, 'in-flight', 'in the queue when the run stopped');
      wake();
    },
    settled: () => ledger.settled(),
    flush: async () => options.deadLetterQueue?.flush(),
  };
}

/** The record as this receive delivers it: receive count, first-receive time, a fresh receipt handle. */
function receivedRecord(m: QueuedMessage, epochMs: number): Record<string, unknown> {
  m.firstReceiveEpochMs ??= epochMs;
  const attributes = { ...(m.record.attributes as Record<string, string>) };
  attributes.ApproximateReceiveCount = String(m.receiveCount);
  attributes.ApproximateFirstReceiveTimestamp = String(Math.floor(m.firstReceiveEpochMs));
  const receiptHandle = `AQEB${Buffer.from(`${m.messageId}#${m.receiveCount}`).toString('base64')}`;
  return { ...m.record, attributes, receiptHandle };
}
