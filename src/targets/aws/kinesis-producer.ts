/**
 * Puts records on a real Kinesis stream (`delivery: service` for Kinesis sources): PutRecords in
 * batches within Kinesis's limits (500 records, 5 MiB per call), retrying the records a call
 * rejected (ProvisionedThroughputExceededException, InternalFailure) with exponential backoff, so
 * every record ends either accepted (with its shard and sequence number) or failed with the last
 * error code — none is dropped silently.
 */

import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { batchIndexes, type RetryOptions, sendRetryingRejected } from './retry-rejected.js';

/** PutRecords limits (Kinesis Data Streams quotas). */
export const PUT_RECORDS_MAX_RECORDS = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;

export interface ProducerRecord {
  data: Uint8Array;
  partitionKey: string;
  explicitHashKey?: string;
}

export interface PutOutcome {
  /** Index in the input. */
  index: number;
  ok: boolean;
  shardId?: string;
  sequenceNumber?: string;
  /** The last ErrorCode Kinesis gave for the record (when not ok). */
  errorCode?: string;
  attempts: number;
}

/** Tries and back-off for records a PutRecords call rejects. */
export type ProducerOptions = RetryOptions;

/** Splits records into PutRecords calls within the count and size limits, keeping their order. */
export function batchesOf(records: readonly ProducerRecord[]): number[][] {
  return batchIndexes(records, (r) => r.data.byteLength + Buffer.byteLength(r.partitionKey), {
    maxEntries: PUT_RECORDS_MAX_RECORDS,
    maxBytes: PUT_RECORDS_MAX_BYTES,
  });
}

/** Puts every record; the outcome of each, in input order. */
export async function putRecords(
  client: KinesisClient,
  streamName: string,
  records: readonly ProducerRecord[],
  options: ProducerOptions = {},
): Promise<PutOutcome[]> {
  const outcomes: PutOutcome[] = records.map((_, index) => ({ index, ok: false, attempts: 0 }));
  await sendRetryingRejected(batchesOf(records), options, async (pending, attempt) => {
    const entries: PutRecordsRequestEntry[] = pending.map((i) => {
      const r = records[i] as ProducerRecord;
      return {
        Data: r.data,
        PartitionKey: r.partitionKey,
        ...(r.explicitHashKey === undefined ? {} : { ExplicitHashKey: r.explicitHashKey }),
      };
    });
    const out = await client.send(
      new PutRecordsCommand({
        ...(streamName.startsWith('arn:') ? { StreamARN: streamName } : { StreamName: streamName }),
        Records: entries,
      }),
    );
    const rejected: number[] = [];
    pending.forEach((i, k) => {
      const o = outcomes[i] as PutOutcome;
      o.attempts = attempt;
      const r = out.Records?.[k];
      if (r?.ErrorCode === undefined && r?.SequenceNumber !== undefined) {
        o.ok = true;
        o.sequenceNumber = r.SequenceNumber;
        if (r.ShardId !== undefined) o.shardId = r.ShardId;
        delete o.errorCode;
      } else {
        o.errorCode = r?.ErrorCode ?? 'MissingResult';
        rejected.push(i);
      }
    });
    return rejected;
  });
  return outcomes;
}
