/**
 * A Kinesis or DynamoDB Streams event source mapping over the in-memory stream: the producer puts
 * records into shards; one poller per shard reads them at AWS's cadence (Kinesis about once a
 * second, DynamoDB Streams four times, sooner while behind), drops records the filter criteria
 * reject, and hands the rest to the shard's lanes (ParallelizationFactor, by key), which batch,
 * invoke and retry (lane.ts). Every record reaches exactly one end in the record ledger, and
 * exactly one outcome in the run's ledger.
 */

import { hash32 } from '../../events/common.js';
import { isInvoked } from '../../metrics/series-state.js';
import type { InvocationResult } from '../../targets/types.js';
import { callTarget, recordAttempt } from '../call-target.js';
import type { DeliveryContext } from '../types.js';
import { streamFailureRecord } from './failure-record.js';
import type { RecordFilter } from './filter-criteria.js';
import type { KinesisApi } from './kinesis-api.js';
import { KinesisApiSource } from './kinesis-api-source.js';
import { Shard, shardIdOf } from './kinesis-shards.js';
import { type Batch, type DiscardCondition, Lane, type LaneHost } from './lane.js';
import { MappingLedger, type RecordEnd } from './mapping-ledger.js';
import { MappingStats } from './mapping-stats.js';
import type { RecordAdapter } from './record-adapters.js';
import { batchPayload, NO_BYTES } from './record-bytes.js';
import { TumblingWindows } from './tumbling-windows.js';
import type { StreamMappingConfig, StreamRecord } from './types.js';

export interface StreamMappingOptions {
  config: StreamMappingConfig;
  shards: number;
  /** Per-shard write limits (Kinesis); DynamoDB streams take what the table writes. */
  writeLimits: boolean;
  adapter: RecordAdapter;
  filter: RecordFilter;
  /** Number of filter patterns (for the results' settings). */
  filterCount: number;
  /** A real Kinesis API (kinesalite, AWS) instead of the in-memory shards. */
  api?: KinesisApi;
  /** The endpoint the API talks to (for the results' settings). */
  endpoint?: string;
}

export interface PullMapping {
  /** Puts one generated record (the Lambda record shape) into the stream or queue. */
  put(eventId: number, intendedMs: number, record: Record<string, unknown>): void;
  /** Stops polling; whatever is not done is left in the stream (in flight in the ledger). */
  stop(): void;
  /** Resolves when every record put has reached an end. */
  settled(): Promise<void>;
  /** Writes the on-failure destination file. */
  flush(): Promise<void>;
  readonly stats: MappingStats;
}

/** Records one GetRecords call returns at most (Kinesis 10,000; DynamoDB Streams 1,000). */
const READ_LIMIT = { kinesis: 10_000, dynamodb: 1000 } as const;
/** While a shard is behind, it is read again after this (Kinesis allows 5 reads/s per shard). */
const BEHIND_READ_MS = 200;

export function createStreamMapping(ctx: DeliveryContext, options: StreamMappingOptions): PullMapping {
  const { config, adapter } = options;
  const { clock, sink, key } = ctx;
  const stats = new MappingStats(
    config.kind,
    {
      batchSize: config.batchSize,
      batchingWindowMs: config.batchingWindowMs,
      parallelizationFactor: config.parallelizationFactor,
      shards: options.shards,
      bisectBatchOnFunctionError: config.bisectBatchOnFunctionError,
      maximumRetryAttempts: config.maximumRetryAttempts,
      maximumRecordAgeMs: config.maximumRecordAgeMs,
      reportBatchItemFailures: config.reportBatchItemFailures,
      tumblingWindowMs: config.tumblingWindowMs,
      filters: options.filterCount,
      backend: 'memory',
    },
    clock.now(),
  );
  sink.streamSection?.(key, () => stats.results());
  const ledger = new MappingLedger(ctx, stats);
  const wake = () => ledger.wake();
  let stopped = false;

  const settle = (records: readonly StreamRecord[], bucket: RecordEnd, attempts: number, reason?: string) => {
    const endMs = clock.now();
    for (const r of records) ledger.outcome(r.id, r.putMs, bucket, attempts, reason, endMs);
  };

  const shards: ShardReader[] = [];
  const hostFor = (shard: { id: string }): { host: LaneHost; idle: () => void } => {
    const windows = config.tumblingWindowMs > 0 ? new TumblingWindows(config.tumblingWindowMs) : undefined;
    let finalizing = false;
    // The final invocation of each ended window, in order, before anything of a later window.
    const finalize = async (beforeStart: number): Promise<void> => {
      if (!windows || finalizing) return;
      finalizing = true;
      for (const w of windows.ended(clock.wallNow())) {
        if (w.start >= beforeStart || stopped) break;
        const call = await callTarget(ctx, windows.finalPayload(w.start, shard.id, config.streamArn));
        recordAttempt(ctx, w.last.id, 1, call.startMs, call);
        if (call.result.status !== 'ok') break;
        windows.finished(w.start);
      }
      finalizing = false;
    };
    const host: LaneHost = {
      config,
      clock,
      async invoke(batch: Batch, dispatchMs: number): Promise<InvocationResult> {
        batch.invokes++;
        const records = batch.records;
        if (windows) await finalize(windows.windowOf(records[0] as StreamRecord));
        const payload = windows
          ? windows.payload(records, shard.id, config.streamArn)
          : batchPayload(records, '{"Records":[', ']}');
        const call = await callTarget(ctx, payload);
        recordAttempt(ctx, (records[0] as StreamRecord).id, batch.invokes, dispatchMs, call);
        if (isInvoked(call.result.status)) {
          const last = records[records.length - 1] as StreamRecord;
          stats.batch(records.length, call.endMs - last.putMs, call.endMs);
        }
        if (windows && call.result.status === 'ok') return windows.accept(records, call.result);
        return call.result;
      },
      processed(batch, records) {
        stats.count('processed', records.length, clock.now());
        settle(records, 'succeeded', batch.invokes);
        wake();
      },
      discarded(batch, records, condition: DiscardCondition) {
        if (config.destination && condition !== 'RetentionExpired') {
          config.destination.append(
            streamFailureRecord({
              kind: config.kind,
              records,
              shardId: shard.id,
              streamArn: config.streamArn,
              functionArn: config.functionArn,
              condition,
              invokeCount: batch.invokes,
              lastResult: batch.lastResult,
              wallNowMs: clock.wallNow(),
            }),
          );
          stats.count('sentToDestination', records.length);
          settle(records, 'dead-lettered', batch.invokes, condition);
        } else if (condition === 'RetryAttemptsExhausted') {
          stats.count('discarded', records.length);
          settle(records, 'failed', batch.invokes, condition);
        } else {
          stats.count('expired', records.length);
          settle(records, 'expired', batch.invokes, condition);
        }
        wake();
      },
      retried(batch, reason) {
        stats.recordsRetried += batch.records.length;
        sink.retry(key, (batch.records[0] as StreamRecord).id, reason);
      },
      bisected() {
        stats.bisections++;
      },
      leftInStream(records) {
        stats.count('inStream', records.length);
        settle(records, 'in-flight', 0, 'in the stream when the run stopped');
        wake();
      },
      drained() {},
    };
    return { host, idle: () => void finalize(Number.POSITIVE_INFINITY) };
  };

  const api = options.api ? new KinesisApiSource(options.api, ctx, config, stats, wake) : undefined;
  let apiStopHost: LaneHost | undefined;
  const apiLanes: Lane[] = [];
  if (api && options.api) {
    config.streamArn = options.api.streamArn;
    stats.settings.backend = options.endpoint ?? 'kinesis';
    void api.start((shardId) => {
      const { host, idle: _idle } = hostFor({ id: shardId });
      apiStopHost ??= host;
      const lanes = Array.from({ length: config.parallelizationFactor }, () => new Lane(host));
      apiLanes.push(...lanes);
      return lanes;
    });
  }
  for (let i = 0; i < (api ? 0 : options.shards); i++) {
    const shard = new Shard(i, shardIdOf(i), options.writeLimits);
    const { host, idle } = hostFor(shard);
    const lanes = Array.from({ length: config.parallelizationFactor }, () => new Lane(host));
    shards.push(new ShardReader(shard, lanes, ctx, config, stats, wake, idle));
  }
  for (const s of shards) s.start();

  return {
    stats,
    put(eventId, intendedMs, record) {
      if (api) {
        stats.records.put++;
        const k = record.kinesis as { partitionKey: string; data: string };
        const pass = options.filter(record);
        if (pass) sink.arrival(key, eventId, intendedMs);
        else sink.filtered(key, eventId);
        if (stopped) {
          stats.count('putThrottled', 1);
          if (pass)
            sink.outcome({
              key,
              eventId,
              bucket: 'dropped',
              reason: 'put after the run stopped',
              attempts: 0,
              intendedStartMs: intendedMs,
              endMs: clock.now(),
            });
          return;
        }
        api.put({
          id: eventId,
          putMs: intendedMs,
          pass,
          key: k.partitionKey,
          entry: { partitionKey: k.partitionKey, data: Buffer.from(k.data, 'base64') },
          envelope: record,
        });
        return;
      }
      stats.records.put++;
      if (config.streamArn === '') config.streamArn = String(record.eventSourceARN ?? '');
      const epochMs = clock.wallNow();
      adapter.stamp(record, epochMs);
      const shard = shards[
        Math.min(adapter.shardOf(record, options.shards), options.shards - 1)
      ] as ShardReader;
      const pass = options.filter(record);
      const stored: StreamRecord = {
        id: eventId,
        shard: shard.shard.index,
        sequenceNumber: adapter.sequenceOf(record),
        key: adapter.keyOf(record),
        putMs: intendedMs,
        arrivalEpochMs: epochMs,
        chunk: NO_BYTES,
        start: 0,
        bytes: 0,
        pass,
      };
      if (stopped || shard.shard.put(stored, adapter.bytesOf(record), clock.now()) === 'throttled') {
        ledger.refused(
          eventId,
          intendedMs,
          stopped ? 'put after the run stopped' : 'ProvisionedThroughputExceededException',
        );
        return;
      }
      // Serialized once, after the shard took it; a refused or filtered record never is.
      if (pass) shard.shard.arena.write(stored, JSON.stringify(record));
      // Records the filter drops never reach the function: like SNS filtering, outside the key's ledger.
      if (pass) sink.arrival(key, eventId, intendedMs);
      else sink.filtered(key, eventId);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const s of shards) s.stop();
      for (const lane of apiLanes) lane.stop();
      api?.stop((records) => {
        if (apiStopHost) apiStopHost.leftInStream(records);
        else stats.count('inStream', records.length);
      });
      wake();
    },
    settled: () => ledger.settled(),
    flush: async () => config.destination?.flush(),
  };
}

/** One shard's poller: reads new records at the mapping's cadence and routes them to lanes by key. */
class ShardReader {
  #cursor: number;
  #cancel: (() => void) | undefined;
  #stopped = false;

  constructor(
    readonly shard: Shard,
    private readonly lanes: Lane[],
    private readonly ctx: DeliveryContext,
    private readonly config: StreamMappingConfig,
    private readonly stats: MappingStats,
    private readonly wake: () => void,
    /** Called after a poll that found every lane idle (tumbling windows finish then). */
    private readonly onIdle: () => void,
  ) {
    // TRIM_HORIZON reads from the oldest record, LATEST from the end. The in-memory stream is created
    // with its mapping and AWS refuses a timestamp in the future, so AT_TIMESTAMP reads it all.
    this.#cursor = config.startingPosition === 'LATEST' ? shard.end : shard.start;
  }

  start(): void {
    this.#schedule(this.config.pollIntervalMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    for (const lane of this.lanes) lane.stop();
    const left: StreamRecord[] = [];
    let unmatched = 0;
    for (let i = this.#cursor; i < this.shard.end; i++) {
      const r = this.shard.at(i) as StreamRecord;
      if (r.pass) left.push(r);
      else unmatched++;
    }
    this.#cursor = this.shard.end;
    this.stats.count('inStream', unmatched);
    if (left.length > 0) this.lanes[0]?.push(left);
  }

  #schedule(ms: number): void {
    this.#cancel = this.ctx.clock.setTimer(ms, () => {
      this.#cancel = undefined;
      if (!this.#stopped) this.#schedule(this.#poll() ? BEHIND_READ_MS : this.config.pollIntervalMs);
    });
  }

  /** One GetRecords: routes up to the read limit to lanes; true when more are waiting. */
  #poll(): boolean {
    const end = Math.min(this.shard.end, this.#cursor + READ_LIMIT[this.config.kind]);
    const pf = this.lanes.length;
    const perLane: StreamRecord[][] = this.lanes.map(() => []);
    let filtered = 0;
    for (; this.#cursor < end; this.#cursor++) {
      const r = this.shard.at(this.#cursor) as StreamRecord;
      if (!r.pass) {
        filtered++;
        continue;
      }
      (perLane[pf === 1 ? 0 : hash32(r.key) % pf] as StreamRecord[]).push(r);
    }
    if (filtered > 0) {
      this.stats.count('filtered', filtered);
      this.wake();
    }
    this.shard.release(this.#cursor);
    perLane.forEach((records, i) => {
      if (records.length > 0) this.lanes[i]?.push(records);
    });
    if (this.lanes.every((lane) => lane.backlog === 0)) this.onIdle();
    return this.#cursor < this.shard.end;
  }
}
