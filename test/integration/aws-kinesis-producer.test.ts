/**
 * The Kinesis producer of the aws target against kinesalite on loopback (real PutRecords through
 * the real SDK client), and against a small server speaking Kinesis's JSON 1.1 wire format that
 * rejects records the way Kinesis does under throttling, to show rejected records are retried and
 * the ones that never get in are reported, not dropped.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import kinesalite from 'kinesalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinesisClient } from '../../src/targets/aws/clients.js';
import { batchesOf, putRecords } from '../../src/targets/aws/kinesis-producer.js';

const CREDENTIALS = { accessKeyId: 'AKIDKINESIS', secretAccessKey: 'kinesis-secret' };

function client(endpoint: string): KinesisClient {
  return kinesisClient({ endpoint, region: 'us-east-1', credentials: async () => CREDENTIALS });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

const record = (i: number) => ({
  data: new TextEncoder().encode(JSON.stringify({ i })),
  partitionKey: `user-${i % 37}`,
});

describe('putRecords against kinesalite', () => {
  let server: Server;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    server = kinesalite({ createStreamMs: 0 });
    kinesis = client(await listen(server));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 2 }));
    for (let i = 0; i < 50; i++) {
      const d = await kinesis.send(new DescribeStreamCommand({ StreamName: 'clicks' }));
      if (d.StreamDescription?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  afterAll(async () => {
    kinesis?.destroy();
    await new Promise((r) => server?.close(r));
  });

  it('puts 1,200 records in three calls, each accepted with its shard and sequence number, readable back', async () => {
    const records = Array.from({ length: 1200 }, (_, i) => record(i));
    const outcomes = await putRecords(kinesis, 'clicks', records);
    expect(outcomes.every((o) => o.ok && o.attempts === 1)).toBe(true);
    expect(new Set(outcomes.map((o) => o.sequenceNumber)).size).toBe(1200);
    const shards = new Set(outcomes.map((o) => o.shardId));
    expect(shards.size).toBe(2);
    let read = 0;
    for (const shardId of shards) {
      const it0 = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: 'clicks',
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      let iterator = it0.ShardIterator;
      for (let page = 0; page < 10 && iterator; page++) {
        const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
        read += got.Records?.length ?? 0;
        if ((got.Records?.length ?? 0) === 0) break;
        iterator = got.NextShardIterator;
      }
    }
    expect(read).toBe(1200);
  });
});

describe('putRecords when Kinesis rejects records', () => {
  let server: Server;
  let kinesis: KinesisClient;
  const calls: number[] = [];

  beforeAll(async () => {
    // Rejects every record whose partition key ends in 0 on its first try, and "user-stuck" always.
    const tries = new Map<string, number>();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        const input = JSON.parse(body) as { Records: Array<{ Data: string; PartitionKey: string }> };
        calls.push(input.Records.length);
        const Records = input.Records.map((r, k) => {
          const n = (tries.get(r.Data) ?? 0) + 1;
          tries.set(r.Data, n);
          const reject = r.PartitionKey === 'user-stuck' || (r.PartitionKey.endsWith('0') && n === 1);
          return reject
            ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }
            : { ShardId: 'shardId-000000000000', SequenceNumber: `4960${calls.length}${k}` };
        });
        const text = JSON.stringify({
          FailedRecordCount: Records.filter((r) => 'ErrorCode' in r).length,
          Records,
        });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r' });
        res.end(text);
      });
    });
    kinesis = client(await listen(server));
  });

  afterAll(async () => {
    kinesis?.destroy();
    await new Promise((r) => server?.close(r));
  });

  it('retries only the rejected records, and reports the ones that never got in', async () => {
    const records = [
      ...Array.from({ length: 20 }, (_, i) => record(i)),
      { data: new Uint8Array([1]), partitionKey: 'user-stuck' },
    ];
    const sleeps: number[] = [];
    const outcomes = await putRecords(kinesis, 'clicks', records, {
      maxAttempts: 3,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const retried = outcomes.filter((o) => o.attempts === 2 && o.ok);
    expect(retried.map((o) => records[o.index]?.partitionKey).every((k) => k?.endsWith('0'))).toBe(true);
    expect(retried.length).toBeGreaterThan(0);
    const stuck = outcomes[20];
    expect(stuck).toMatchObject({
      ok: false,
      attempts: 3,
      errorCode: 'ProvisionedThroughputExceededException',
    });
    expect(outcomes.filter((o) => o.ok)).toHaveLength(20);
    // One call with all 21, then only what was rejected.
    expect(calls[0]).toBe(21);
    expect(calls[1]).toBe(retried.length + 1);
    expect(calls[2]).toBe(1);
    expect(sleeps).toEqual([100, 200]);
  });
});

describe('batchesOf', () => {
  it('keeps PutRecords within 500 records and 5 MiB per call, in order', () => {
    const small = Array.from({ length: 1001 }, (_, i) => record(i));
    expect(batchesOf(small).map((b) => b.length)).toEqual([500, 500, 1]);
    const big = Array.from({ length: 6 }, () => ({ data: new Uint8Array(1024 * 1024), partitionKey: 'k' }));
    expect(batchesOf(big).map((b) => b.length)).toEqual([4, 2]);
    expect(batchesOf(big).flat()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
