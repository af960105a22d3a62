/**
 * The records a stream holds and the settings an event source mapping runs with. Times are ms on
 * the run's monotonic clock unless named epoch.
 */
import type { DestinationFile } from '../destination-file.js';
import type { RecordBytes } from './record-bytes.js';

/** One record in a shard, as the mapping will deliver it (its JSON, serialized once: RecordBytes). */
export interface StreamRecord extends RecordBytes {
  /** The ledger's event id (the arrival index of the put). */
  id: number;
  shard: number;
  sequenceNumber: string;
  /** Partition key (Kinesis) or item key (DynamoDB): ordering is kept per key. */
  key: string;
  /** Monotonic ms of the put (the arrival's intended time). */
  putMs: number;
  /** Epoch ms of the put (ApproximateArrivalTimestamp; tumbling windows are assigned by it). */
  arrivalEpochMs: number;
  /** Whether it matches the mapping's filter criteria. */
  pass: boolean;
}

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** One stream mapping's settings at a sweep point (AWS names; −1 means infinite). */
export interface StreamMappingConfig {
  kind: 'kinesis' | 'dynamodb';
  batchSize: number;
  batchingWindowMs: number;
  parallelizationFactor: number;
  startingPosition: StartingPosition;
  startingPositionTimestampMs?: number;
  bisectBatchOnFunctionError: boolean;
  maximumRetryAttempts: number;
  maximumRecordAgeMs: number;
  reportBatchItemFailures: boolean;
  tumblingWindowMs: number;
  /** Idle poll cadence per shard. */
  pollIntervalMs: number;
  /** Records leave the stream this long after their put. */
  retentionMs: number;
  /** ARN of the stream (eventSourceARN, on-failure records). */
  streamArn: string;
  /** Function ARN with qualifier, for on-failure records. */
  functionArn: string;
  destination?: DestinationFile;
}

/** Lambda's synchronous payload limit: a batch never exceeds it (6 MB). */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
