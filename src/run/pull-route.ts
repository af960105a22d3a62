/**
 * Routes a pull source's arrivals — records put into a stream — to one event source mapping per
 * function it invokes (each mapping reads its own copy of the stream, as independent consumers
 * do). The arrival is done once the record is in the stream; the mapping decides its outcome.
 */

import { join } from 'node:path';
import {
  createDestinationFile,
  type DestinationFile,
  destinationPath,
  functionArn,
} from '../delivery/index.js';
import { compileFilterCriteria } from '../delivery/stream/filter-criteria.js';
import { openKinesisApi } from '../delivery/stream/kinesis-api.js';
import { dynamodbAdapter, kinesisAdapter } from '../delivery/stream/record-adapters.js';
import { createSqsMapping } from '../delivery/stream/sqs-mapping.js';
import { SqsQueue } from '../delivery/stream/sqs-queue.js';
import { createStreamMapping, type PullMapping } from '../delivery/stream/stream-mapping.js';
import type { StreamMappingConfig } from '../delivery/stream/types.js';
import type { SeriesKey } from '../metrics/types.js';
import type { MappingPoint } from '../scenario/plan.js';
import type { PullSource } from '../scenario/types.js';
import type { PointTargets, SourceRoute } from './routes.js';

export async function createPullRoute(
  source: PullSource,
  at: PointTargets,
  point: MappingPoint,
): Promise<SourceRoute> {
  const destination: DestinationFile | undefined =
    source.kind === 'sqs'
      ? source.queue.maxReceiveCount === undefined
        ? undefined
        : createDestinationFile(join(at.outputDir, `${source.name}.dlq.jsonl`))
      : source.mapping.onFailure === 'destination'
        ? createDestinationFile(destinationPath(at.outputDir, source.name))
        : undefined;
  const filter = compileFilterCriteria(source.kind, source.mapping.filters);
  const mappings: PullMapping[] = [];
  const keys: SeriesKey[] = [];
  for (const fn of source.to) {
    const key: SeriesKey = {
      source: source.name,
      functionName: fn,
      qualifier: at.qualifiers[fn] ?? '$LATEST',
      memoryMB: at.memoryMB[fn] ?? 0,
    };
    const m = source.mapping;
    keys.push(key);
    const ctx = { target: at.target, sink: at.sink, clock: at.clock, key };
    if (source.kind === 'sqs') {
      const q = source.queue;
      mappings.push(
        createSqsMapping(ctx, {
          batchSize: point.batchSize,
          batchingWindowMs: point.batchingWindowMs,
          reportBatchItemFailures: m.reportBatchItemFailures,
          ...(m.maximumConcurrency === undefined ? {} : { maximumConcurrency: m.maximumConcurrency }),
          pollIntervalMs: m.pollIntervalMs,
          queue: new SqsQueue(q.fifo, q.visibilityTimeoutMs, q.maxReceiveCount, q.retentionMs),
          filter,
          filterCount: m.filters.length,
          ...(destination === undefined ? {} : { deadLetterQueue: destination }),
        }),
      );
      continue;
    }
    const config: StreamMappingConfig = {
      kind: source.kind,
      batchSize: point.batchSize,
      batchingWindowMs: point.batchingWindowMs,
      parallelizationFactor: point.parallelizationFactor,
      startingPosition: m.startingPosition,
      bisectBatchOnFunctionError: m.bisectBatchOnFunctionError,
      maximumRetryAttempts: m.maximumRetryAttempts,
      maximumRecordAgeMs: m.maximumRecordAgeMs,
      reportBatchItemFailures: m.reportBatchItemFailures,
      tumblingWindowMs: m.tumblingWindowMs,
      pollIntervalMs: m.pollIntervalMs,
      retentionMs: source.stream.retentionMs,
      streamArn: '',
      functionArn: functionArn({ functionName: fn, qualifier: key.qualifier }),
      ...(destination === undefined ? {} : { destination }),
    };
    // `kinesis.endpoint`: the stream is a real Kinesis API (kinesalite, AWS) instead of memory.
    const endpoint = source.kind === 'kinesis' ? source.stream.endpoint : undefined;
    const api =
      endpoint === undefined
        ? undefined
        : await openKinesisApi({
            endpoint,
            stream: String(source.options.stream ?? 'lambench-stream'),
            shards: source.stream.shards,
            ...(typeof source.options.region === 'string' ? { region: source.options.region } : {}),
            clock: at.clock,
          });
    mappings.push(
      createStreamMapping(ctx, {
        config,
        shards: source.stream.shards,
        writeLimits: source.kind === 'kinesis' ? source.stream.writeLimits : false,
        adapter: source.kind === 'kinesis' ? kinesisAdapter : dynamodbAdapter,
        filter,
        filterCount: m.filters.length,
        ...(api === undefined || endpoint === undefined ? {} : { api, endpoint }),
      }),
    );
  }
  return {
    keys,
    async deliver(eventId, intendedMs, payload) {
      for (const mapping of mappings) {
        const event = JSON.parse(payload) as { Records?: Record<string, unknown>[] };
        const record = event.Records?.[0];
        if (record === undefined) throw new Error(`${source.name}: the event has no record`);
        mapping.put(eventId, intendedMs, record);
      }
    },
    drop(eventId, intendedMs) {
      for (const key of keys) {
        at.sink.arrival(key, eventId, intendedMs);
        at.sink.outcome({
          key,
          eventId,
          bucket: 'dropped',
          reason: 'harness-max-in-flight',
          attempts: 0,
          intendedStartMs: intendedMs,
          endMs: at.clock.now(),
        });
      }
    },
    stop() {
      for (const m of mappings) m.stop();
    },
    async settled() {
      await Promise.all(mappings.map((m) => m.settled()));
    },
    async flush() {
      await destination?.flush();
    },
  };
}
