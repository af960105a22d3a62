/**
 * One lane of a shard: the records an event source mapping processes strictly in order, one batch
 * at a time. A shard has ParallelizationFactor lanes and a record's lane is chosen by its key, so
 * order holds per partition key (Kinesis) or item key (DynamoDB) while other keys run in parallel.
 *
 * Rules reproduced (Lambda developer guide: "Using Lambda with Kinesis", "Error handling"):
 * - a batch goes when it holds BatchSize records, reaches 6 MB, or the batching window ends; the
 *   next window starts when the previous invocation completes;
 * - a failing batch blocks the lane until it succeeds, is bisected away, runs out of retries
 *   (MaximumRetryAttempts) or its records age out (MaximumRecordAge, stream retention);
 * - BisectBatchOnFunctionError splits a failing batch in two without spending a retry;
 * - ReportBatchItemFailures checkpoints at the lowest failed record: records before it are done,
 *   it and everything after are retried;
 * - throttles and service errors never reached the function: retried with back-off, no retry spent.
 */
import type { Clock } from '../../core/clock.js';
import type { InvocationResult } from '../../targets/types.js';
import { isFunctionError } from '../call-target.js';
import { parseItemFailures } from './batch-item-failures.js';
import { MAX_PAYLOAD_BYTES, type StreamMappingConfig, type StreamRecord } from './types.js';

/** A batch in progress: its records and how it has fared so far. */
export interface Batch {
  records: StreamRecord[];
  /** Retries spent (bisection spends none). */
  retries: number;
  /** Invocations that carried these records. */
  invokes: number;
  lastResult?: InvocationResult;
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded' | 'RetentionExpired';

/** What a lane needs from its mapping: calling the function and settling records. */
export interface LaneHost {
  readonly config: StreamMappingConfig;
  readonly clock: Clock;
  /** Invokes the function with the batch (the host builds the payload and reports the attempt). */
  invoke(batch: Batch, dispatchMs: number): Promise<InvocationResult>;
  processed(batch: Batch, records: StreamRecord[]): void;
  discarded(batch: Batch, records: StreamRecord[], condition: DiscardCondition): void;
  /** Records retried (counted per record) after `reason`. */
  retried(batch: Batch, reason: string): void;
  bisected(): void;
  /** Records left when the mapping stopped. */
  leftInStream(records: StreamRecord[]): void;
  /** The lane has nothing left to do: the shard may be read again. */
  drained(): void;
}

export class Lane {
  readonly #host: LaneHost;
  #queue: StreamRecord[] = [];
  #head = 0;
  /** Bisected halves waiting their turn, in record order. */
  #splits: Batch[] = [];
  #current: Batch | undefined;
  #busy = false;
  #cancelTimer: (() => void) | undefined;
  #windowStartMs: number;
  #windowExpired = false;
  #throttles = 0;
  #stopped = false;

  constructor(host: LaneHost) {
    this.#host = host;
    this.#windowStartMs = host.clock.now();
  }

  /** Records waiting or in progress in this lane. */
  get backlog(): number {
    let n = this.#queue.length - this.#head + (this.#current?.records.length ?? 0);
    for (const s of this.#splits) n += s.records.length;
    return n;
  }

  push(records: readonly StreamRecord[]): void {
    if (this.#stopped) {
      this.#host.leftInStream([...records]);
      return;
    }
    for (const r of records) this.#queue.push(r);
    this.#kick();
  }

  /** No new invocation starts; what is waiting is left in the stream. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const left: StreamRecord[] = [];
    if (this.#current && !this.#busy) left.push(...this.#current.records);
    if (!this.#busy) this.#current = undefined;
    for (const s of this.#splits) left.push(...s.records);
    left.push(...this.#queue.slice(this.#head));
    this.#splits = [];
    this.#queue = [];
    this.#head = 0;
    if (left.length > 0) this.#host.leftInStream(left);
  }

  #kick(): void {
    if (this.#busy || this.#stopped || this.#cancelTimer) return;
    if (this.#current) {
      void this.#attempt();
      return;
    }
    const split = this.#splits.shift();
    if (split) {
      this.#current = split;
      void this.#attempt();
      return;
    }
    const available = this.#queue.length - this.#head;
    if (available === 0) {
      this.#host.drained();
      return;
    }
    const { batchSize, batchingWindowMs } = this.#host.config;
    if (batchingWindowMs > 0 && !this.#windowExpired && available < batchSize && !this.#payloadFull()) {
      const now = this.#host.clock.now();
      const elapsed = Math.max(0, now - this.#windowStartMs);
      // Windows follow one another from the last completion; the batch goes at the end of the current one.
      const dueMs =
        this.#windowStartMs + Math.max(1, Math.ceil(elapsed / batchingWindowMs)) * batchingWindowMs;
      this.#cancelTimer = this.#host.clock.setTimer(dueMs - now, () => {
        this.#cancelTimer = undefined;
        this.#windowExpired = true;
        this.#kick();
      });
      return;
    }
    this.#windowExpired = false;
    this.#current = { records: this.#take(), retries: 0, invokes: 0 };
    void this.#attempt();
  }

  /** True when what is waiting already reaches the 6 MB payload limit. */
  #payloadFull(): boolean {
    let bytes = 0;
    for (let i = this.#head; i < this.#queue.length; i++) {
      bytes += (this.#queue[i] as StreamRecord).bytes + 1;
      if (bytes >= MAX_PAYLOAD_BYTES - 64) return true;
    }
    return false;
  }

  /** The next batch from the queue: up to BatchSize records within the 6 MB payload (at least one). */
  #take(): StreamRecord[] {
    const { batchSize, tumblingWindowMs } = this.#host.config;
    const out: StreamRecord[] = [];
    let bytes = 64;
    const first = this.#queue[this.#head] as StreamRecord;
    const window = tumblingWindowMs > 0 ? Math.floor(first.arrivalEpochMs / tumblingWindowMs) : 0;
    while (this.#head < this.#queue.length && out.length < batchSize) {
      const r = this.#queue[this.#head] as StreamRecord;
      if (out.length > 0 && bytes + r.bytes + 1 > MAX_PAYLOAD_BYTES) break;
      // A batch never spans two tumbling windows.
      if (tumblingWindowMs > 0 && Math.floor(r.arrivalEpochMs / tumblingWindowMs) !== window) break;
      out.push(r);
      bytes += r.bytes + 1;
      this.#head++;
    }
    if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  async #attempt(): Promise<void> {
    const batch = this.#current as Batch;
    this.#dropAged(batch);
    if (batch.records.length === 0) return this.#next();
    this.#busy = true;
    const result = await this.#host.invoke(batch, this.#host.clock.now());
    this.#busy = false;
    batch.lastResult = result;
    if (this.#stopped) {
      this.#current = undefined;
      if (result.status === 'ok' && this.#verdict(batch, result).kind === 'success')
        this.#host.processed(batch, batch.records);
      else this.#host.leftInStream(batch.records);
      return;
    }
    if (result.status === 'throttled' || result.status === 'service-error') {
      this.#throttles++;
      this.#retryLater(this.#backoffMs(this.#throttles));
      return;
    }
    this.#throttles = 0;
    const verdict = isFunctionError(result.status)
      ? ({ kind: 'all', reason: result.errorType ?? result.status } as const)
      : this.#verdict(batch, result);
    if (verdict.kind === 'success') {
      this.#host.processed(batch, batch.records);
      return this.#next();
    }
    if (verdict.kind === 'partial') {
      // Checkpoint at the lowest failed record: what came before it is done.
      const lowest = verdict.failed[0] ?? 0;
      if (lowest > 0) this.#host.processed(batch, batch.records.slice(0, lowest));
      batch.records = batch.records.slice(lowest);
      return this.#retryOrDiscard(batch, 'ReportBatchItemFailures');
    }
    if (this.#host.config.bisectBatchOnFunctionError && batch.records.length > 1) {
      const mid = Math.ceil(batch.records.length / 2);
      const second: Batch = {
        records: batch.records.slice(mid),
        retries: batch.retries,
        invokes: batch.invokes,
      };
      batch.records = batch.records.slice(0, mid);
      this.#splits.unshift(second);
      this.#host.bisected();
      this.#kick();
      return;
    }
    this.#retryOrDiscard(batch, verdict.reason);
  }

  #verdict(batch: Batch, result: InvocationResult) {
    if (!this.#host.config.reportBatchItemFailures) return { kind: 'success' } as const;
    const ids = batch.records.map((r) => r.sequenceNumber);
    return parseItemFailures(new TextDecoder().decode(result.payload), ids);
  }

  #retryOrDiscard(batch: Batch, reason: string): void {
    batch.retries++;
    const max = this.#host.config.maximumRetryAttempts;
    if (max >= 0 && batch.retries > max) {
      this.#host.discarded(batch, batch.records, 'RetryAttemptsExhausted');
      this.#next();
      return;
    }
    this.#host.retried(batch, reason);
    this.#retryLater(this.#backoffMs(batch.retries));
  }

  /** Records past MaximumRecordAge or the stream's retention leave before the next attempt. */
  #dropAged(batch: Batch): void {
    const { maximumRecordAgeMs, retentionMs } = this.#host.config;
    const now = this.#host.clock.now();
    this.#dropOlder(batch, now - retentionMs, 'RetentionExpired');
    if (maximumRecordAgeMs >= 0) this.#dropOlder(batch, now - maximumRecordAgeMs, 'RecordAgeExceeded');
  }

  /** Discards the batch's leading records put before `cutoffMs` (records are in put order). */
  #dropOlder(batch: Batch, cutoffMs: number, condition: DiscardCondition): void {
    let n = 0;
    while (n < batch.records.length && (batch.records[n] as StreamRecord).putMs < cutoffMs) n++;
    if (n > 0) this.#host.discarded(batch, batch.records.splice(0, n), condition);
  }

  #retryLater(ms: number): void {
    this.#cancelTimer = this.#host.clock.setTimer(ms, () => {
      this.#cancelTimer = undefined;
      this.#kick();
    });
  }

  /** Exponential back-off from the poll interval, capped at 30 poll intervals. */
  #backoffMs(n: number): number {
    const base = this.#host.config.pollIntervalMs;
    return Math.min(base * 2 ** Math.max(0, n - 1), base * 30);
  }

  #next(): void {
    this.#current = undefined;
    this.#windowStartMs = this.#host.clock.now();
    this.#kick();
  }
}
