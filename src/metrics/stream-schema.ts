/**
 * The optional `stream` section of a series in results.json: what an event source mapping did for
 * a pull source (Kinesis, DynamoDB Streams, SQS) — its settings, the record ledger, batch sizes and
 * IteratorAge. Documented in docs/results-schema.md.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** Where every record put ends: exactly one of these; `put` is their sum when balanced. */
export const RecordLedgerSchema = z.object({
  /** Records the producer tried to put (every generated record). */
  put: count,
  /** Refused by the stream's write limits (ProvisionedThroughputExceeded); never in the stream. */
  putThrottled: count,
  /** Dropped by the mapping's filter criteria before batching. */
  filtered: count,
  /** Processed: in a batch the function handled (or reported as not failed). */
  processed: count,
  /** Discarded with a record in the on-failure destination (or, SQS, moved to the DLQ). */
  sentToDestination: count,
  /** Discarded with no destination configured. */
  discarded: count,
  /** Older than MaximumRecordAge with no destination, or past the stream's retention. */
  expired: count,
  /** Still in the stream or queue (or in a batch being retried) when the run stopped. */
  inStream: count,
  balanced: z.boolean(),
});

export const StreamSettingsSchema = z.object({
  batchSize: count,
  batchingWindowMs: z.number().nonnegative(),
  parallelizationFactor: count,
  /** Shards (Kinesis, DynamoDB) or 0 for a queue. */
  shards: count,
  bisectBatchOnFunctionError: z.boolean(),
  maximumRetryAttempts: z.number().int(),
  maximumRecordAgeMs: z.number(),
  reportBatchItemFailures: z.boolean(),
  tumblingWindowMs: z.number().nonnegative(),
  filters: count,
  /** SQS only. */
  fifo: z.boolean().optional(),
  maximumConcurrency: count.optional(),
  /** `memory` (the harness's in-memory stream) or the Kinesis endpoint used. */
  backend: z.string(),
});

export const StreamPerSecondSchema = z.object({
  second: count,
  /** Records that reached an outcome as processed in this second. */
  processed: count,
  /** Batches invoked (attempts that reached the function) that ended in this second. */
  batches: count,
  /** Highest IteratorAge of batches that ended in this second, ms; null when none did. */
  maxIteratorAgeMs: z.number().nullable(),
});

export const StreamResultsSchema = z.object({
  kind: z.enum(['kinesis', 'dynamodb', 'sqs']),
  settings: StreamSettingsSchema,
  records: RecordLedgerSchema,
  /** Records in batches that were retried (a record retried twice counts twice). */
  recordsRetried: count,
  /** Times a failing batch was split in two (BisectBatchOnFunctionError). */
  bisections: count,
  /** Invocations that reached the function with a batch (retries included). */
  batches: count,
  /** Batch size → invocations with that many records. */
  batchSizes: z.record(z.string(), count),
  /** SQS: receives of a message beyond its first (visibility timeout expiries and returns). */
  redeliveries: count.optional(),
  /** SQS: the most batches in flight at once (poller scaling). */
  maxConcurrentBatches: count.optional(),
  perSecond: z.array(StreamPerSecondSchema),
});

export type RecordLedger = z.infer<typeof RecordLedgerSchema>;

export type StreamSettingsResults = z.infer<typeof StreamSettingsSchema>;
