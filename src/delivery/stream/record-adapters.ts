/**
 * How the stream mapping reads a generated record of each stream source: its shard, ordering key,
 * sequence number and size, and where the put time is written into it (the generators stamp a
 * seeded time; the stream stamps the real arrival).
 */
import { hash32 } from '../../events/common.js';

export interface RecordAdapter {
  /** The shard that owns the record among `shards`. */
  shardOf(record: Record<string, unknown>, shards: number): number;
  /** Ordering key: partition key (Kinesis) or the item's key (DynamoDB). */
  keyOf(record: Record<string, unknown>): string;
  sequenceOf(record: Record<string, unknown>): string;
  /** Writes the arrival time into the record. */
  stamp(record: Record<string, unknown>, epochMs: number): void;
  /** Bytes counted against the shard's write limit (data plus partition key). */
  bytesOf(record: Record<string, unknown>): number;
}

interface KinesisFields {
  partitionKey: string;
  sequenceNumber: string;
  data: string;
  approximateArrivalTimestamp: number;
}

const kinesisOf = (r: Record<string, unknown>) => r.kinesis as KinesisFields;

export const kinesisAdapter: RecordAdapter = {
  // The generator already placed the record by the MD5 hash-key ranges: its eventID names the shard.
  shardOf: (r) => Number.parseInt(String(r.eventID).slice(8, 20), 10) || 0,
  keyOf: (r) => kinesisOf(r).partitionKey,
  sequenceOf: (r) => kinesisOf(r).sequenceNumber,
  stamp: (r, epochMs) => {
    kinesisOf(r).approximateArrivalTimestamp = Math.round(epochMs) / 1000;
  },
  bytesOf: (r) => {
    const k = kinesisOf(r);
    return Math.floor((k.data.length * 3) / 4) + k.partitionKey.length;
  },
};

interface DynamoFields {
  Keys: unknown;
  SequenceNumber: string;
  ApproximateCreationDateTime: number;
}

const dynamoOf = (r: Record<string, unknown>) => r.dynamodb as DynamoFields;

export const dynamodbAdapter: RecordAdapter = {
  // DynamoDB routes an item's changes to one shard by its key, so they stay in order.
  shardOf: (r, shards) => (shards <= 1 ? 0 : hash32(JSON.stringify(dynamoOf(r).Keys)) % shards),
  keyOf: (r) => JSON.stringify(dynamoOf(r).Keys),
  sequenceOf: (r) => dynamoOf(r).SequenceNumber,
  stamp: (r, epochMs) => {
    dynamoOf(r).ApproximateCreationDateTime = Math.floor(epochMs / 1000);
  },
  bytesOf: () => 0,
};
