/**
 * A real Kinesis Data Streams API (AWS, or kinesalite locally) through @aws-sdk/client-kinesis:
 * the stream is created when missing, records are put with PutRecords (retrying the entries a
 * call rejects, as the Kinesis docs advise), and shards are read back with ListShards,
 * GetShardIterator and GetRecords. The client gets an HTTP/1.1 NodeHttpHandler: kinesalite (and
 * other local endpoints) do not speak HTTP/2, which the client would otherwise try.
 */
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
  ResourceNotFoundException,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Clock } from '../../core/clock.js';

export interface KinesisApiOptions {
  endpoint: string;
  stream: string;
  shards: number;
  region?: string;
  clock: Clock;
}

export interface PutEntry {
  partitionKey: string;
  data: Uint8Array;
  explicitHashKey?: string;
}

/** Where each entry of a put ended: in a shard at a sequence number, or refused with a code. */
export type PutOutcome = { shardId: string; sequenceNumber: string } | { errorCode: string };

export interface ApiRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  arrivalEpochMs: number;
}

export interface KinesisApi {
  readonly streamArn: string;
  shardIds(): Promise<string[]>;
  /** Puts entries (≤ 500) in order; entries a call rejects are retried up to `attempts` times. */
  put(entries: PutEntry[], attempts?: number): Promise<PutOutcome[]>;
  /** A shard iterator at the starting position; `read` returns the next records (≤ limit). */
  reader(shardId: string, position: ShardIteratorType, timestampMs?: number): ShardApiReader;
  close(): void;
}

export interface ShardApiReader {
  read(limit: number): Promise<ApiRecord[]>;
}

/** Connects, creating the stream (and waiting for ACTIVE) when it does not exist. */
export async function openKinesisApi(options: KinesisApiOptions): Promise<KinesisApi> {
  const client = new KinesisClient({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    // Local endpoints take any credentials; real AWS uses the default chain when these are unset.
    ...(process.env.AWS_ACCESS_KEY_ID
      ? {}
      : { credentials: { accessKeyId: 'lambench', secretAccessKey: 'lambench' } }),
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 }),
    maxAttempts: 3,
  });
  const StreamName = options.stream;
  let arn = '';
  try {
    arn = await activeArn(client, StreamName, options.clock);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateStreamCommand({ StreamName, ShardCount: options.shards }));
    arn = await activeArn(client, StreamName, options.clock);
  }
  return {
    streamArn: arn,
    async shardIds() {
      const out = await client.send(new ListShardsCommand({ StreamName }));
      return (out.Shards ?? []).map((s) => s.ShardId ?? '').filter(Boolean);
    },
    async put(entries, attempts = 5) {
      const outcomes: PutOutcome[] = new Array(entries.length);
      let pending = entries.map((e, i) => ({ e, i }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        const Records: PutRecordsRequestEntry[] = pending.map(({ e }) => ({
          PartitionKey: e.partitionKey,
          Data: e.data,
          ...(e.explicitHashKey === undefined ? {} : { ExplicitHashKey: e.explicitHashKey }),
        }));
        const out = await client.send(new PutRecordsCommand({ StreamName, Records }));
        const retry: typeof pending = [];
        (out.Records ?? []).forEach((r, k) => {
          const at = pending[k];
          if (at === undefined) return;
          if (r.SequenceNumber && r.ShardId)
            outcomes[at.i] = { shardId: r.ShardId, sequenceNumber: r.SequenceNumber };
          else if (attempt < attempts) retry.push(at);
          else outcomes[at.i] = { errorCode: r.ErrorCode ?? 'InternalFailure' };
        });
        pending = retry;
        if (pending.length > 0) await sleep(options.clock, 50 * 2 ** attempt);
      }
      return outcomes;
    },
    reader(shardId, position, timestampMs) {
      let iterator: string | undefined;
      return {
        async read(limit) {
          if (iterator === undefined) {
            const it = await client.send(
              new GetShardIteratorCommand({
                StreamName,
                ShardId: shardId,
                ShardIteratorType: position,
                ...(timestampMs === undefined ? {} : { Timestamp: new Date(timestampMs) }),
              }),
            );
            iterator = it.ShardIterator;
          }
          if (!iterator) return [];
          const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
          iterator = out.NextShardIterator;
          return (out.Records ?? []).map((r) => ({
            sequenceNumber: r.SequenceNumber ?? '',
            partitionKey: r.PartitionKey ?? '',
            data: r.Data ?? new Uint8Array(),
            arrivalEpochMs: r.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
          }));
        },
      };
    },
    close: () => client.destroy(),
  };
}

async function activeArn(client: KinesisClient, StreamName: string, clock: Clock): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const out = await client.send(new DescribeStreamSummaryCommand({ StreamName }));
    const d = out.StreamDescriptionSummary;
    if (d?.StreamStatus === 'ACTIVE') return d.StreamARN ?? '';
    await sleep(clock, 100);
  }
  throw new Error(`Kinesis stream ${StreamName} did not become ACTIVE`);
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}
