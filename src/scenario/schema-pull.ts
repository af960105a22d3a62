/**
 * Scenario shapes of the pull sources (kinesis, dynamodb, sqs): the stream or queue options beside
 * the generator's, and `mapping:` — the event source mapping with AWS's names, ranges and defaults
 * (Lambda API CreateEventSourceMapping). Cross-field rules (SQS-only and stream-only settings,
 * FIFO batch size) are checked while resolving.
 */
import { z } from 'zod';
import { duration } from './schema-duration.js';

/** A value, or a list of values that makes the setting a sweep dimension. */
function sweepable<T extends z.ZodType>(value: T, help: string) {
  return z.union([value, z.array(value).min(1)], { error: help });
}

const BATCH_HELP = 'expected a batch size from 1 to 10000, or a list of them';
const batchSize = z
  .int({ error: BATCH_HELP })
  .min(1, { error: BATCH_HELP })
  .max(10_000, { error: BATCH_HELP });
const PF_HELP = 'expected a parallelization factor from 1 to 10, or a list of them';
const parallelization = z.int({ error: PF_HELP }).min(1, { error: PF_HELP }).max(10, { error: PF_HELP });
const windowValue = duration({ minMs: 0, maxMs: 300_000, label: 'a batching window from 0s to 300s' });

const filterSchema = z.strictObject({
  pattern: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())], {
      error: 'expected a filter pattern: a JSON string or a mapping',
    })
    .describe('An EventBridge-style pattern matched against each record'),
});

export const mappingSchema = z
  .strictObject({
    batchSize: sweepable(batchSize, BATCH_HELP)
      .optional()
      .describe('BatchSize; default 100 (streams) or 10 (SQS); a list is a sweep dimension'),
    batchingWindow: sweepable(windowValue, 'expected a batching window from 0s to 300s, or a list of them')
      .optional()
      .describe('MaximumBatchingWindowInSeconds as a duration; default 0s; a list is a sweep dimension'),
    parallelizationFactor: sweepable(parallelization, PF_HELP)
      .optional()
      .describe(
        'Streams: concurrent batches per shard (1-10), order kept per key; a list is a sweep dimension',
      ),
    startingPosition: z
      .enum(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'])
      .optional()
      .describe('Streams; default TRIM_HORIZON (AT_TIMESTAMP: Kinesis only)'),
    startingPositionTimestamp: z
      .union([z.iso.datetime({ offset: true }), z.number().nonnegative()], {
        error: 'expected an ISO date-time or epoch seconds',
      })
      .optional()
      .describe('With AT_TIMESTAMP: an ISO date-time or epoch seconds'),
    bisectBatchOnFunctionError: z.boolean().optional().describe('Streams; default false'),
    maximumRetryAttempts: z
      .int({ error: 'expected -1 (infinite) or 0 to 10000' })
      .min(-1, { error: 'expected -1 (infinite) or 0 to 10000' })
      .max(10_000, { error: 'expected -1 (infinite) or 0 to 10000' })
      .optional()
      .describe('Streams; default -1 (retry until the records expire)'),
    maximumRecordAge: z
      .union(
        [
          z.literal(-1),
          duration({ minMs: 60_000, maxMs: 604_800_000, label: 'a record age from 60s to 604800s (7 days)' }),
        ],
        { error: 'expected -1 (no limit) or a duration from 60s to 604800s (7 days)' },
      )
      .optional()
      .describe('Streams: MaximumRecordAgeInSeconds as a duration; default -1 (no limit)'),
    onFailure: z
      .literal('destination', { error: 'expected destination' })
      .optional()
      .describe('Streams: discarded batches are written to <source>.on-failure.jsonl'),
    functionResponseTypes: z
      .array(z.literal('ReportBatchItemFailures', { error: 'expected ReportBatchItemFailures' }))
      .max(1)
      .optional()
      .describe('[ReportBatchItemFailures]: the function returns {batchItemFailures}'),
    tumblingWindow: duration({ minMs: 0, maxMs: 900_000, label: 'a tumbling window from 0s to 900s' })
      .optional()
      .describe('Streams: TumblingWindowInSeconds as a duration; default 0s (off)'),
    filterCriteria: z
      .strictObject({ filters: z.array(filterSchema).min(1).max(5, { error: 'at most 5 filters' }) })
      .optional()
      .describe('Records matching no filter are dropped before batching (counted as filtered)'),
    maximumConcurrency: z
      .int({ error: 'expected 2 to 1000' })
      .min(2, { error: 'expected 2 to 1000' })
      .max(1000, { error: 'expected 2 to 1000' })
      .optional()
      .describe('SQS: ScalingConfig.MaximumConcurrency'),
    pollInterval: duration({ minMs: 1, maxMs: 20_000, label: 'a poll interval from 1ms to 20s' })
      .optional()
      .describe('Idle polling cadence; default 1s (Kinesis), 250ms (DynamoDB), 1s (SQS long poll)'),
  })
  .describe('The event source mapping (Lambda CreateEventSourceMapping settings)');

const generatorKeys = {
  type: z.string().optional().describe('Event type (alias: event)'),
  event: z.string().optional().describe('Event type (alias: type)'),
};

const retention = (max: string, maxMs: number) =>
  duration({ minMs: 60_000, maxMs, label: `a retention from 1m to ${max}` });

/** The source keys: generator options plus the stream or queue's own settings. */
export const pullSourceSchemas = {
  kinesis: z
    .looseObject({
      ...generatorKeys,
      retention: retention('365 days', 8_760 * 3_600_000)
        .optional()
        .describe('Default 24h'),
      writeLimits: z.boolean().optional().describe('Per-shard 1 MiB/s and 1,000 records/s; default true'),
      endpoint: z
        .url()
        .optional()
        .describe('A real Kinesis API endpoint (e.g. kinesalite) instead of the in-memory stream'),
    })
    .describe('Kinesis Data Streams records (polled by the event source mapping)'),
  dynamodb: z
    .looseObject({
      ...generatorKeys,
      shards: z
        .int()
        .min(1)
        .max(100)
        .optional()
        .describe('Stream shards; items are routed by key. Default 1'),
    })
    .describe('DynamoDB table writes → stream records (polled by the event source mapping)'),
  sqs: z
    .looseObject({
      ...generatorKeys,
      visibilityTimeout: duration({
        minMs: 0,
        maxMs: 43_200_000,
        label: 'a visibility timeout from 0s to 12h',
      })
        .optional()
        .describe('Default 30s'),
      maxReceiveCount: z
        .int()
        .min(1)
        .max(1000)
        .optional()
        .describe('Redrive to the DLQ after this many receives'),
      retention: retention('14 days', 14 * 86_400_000)
        .optional()
        .describe('Default 4 days'),
    })
    .describe('SQS messages (polled by the event source mapping)'),
};

export type RawMapping = z.infer<typeof mappingSchema>;
