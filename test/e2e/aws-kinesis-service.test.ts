/**
 * `delivery: service` for Kinesis end to end: lambench puts the records on a stream in kinesalite
 * (real PutRecords through the real SDK client), a mapping of the test's reads the stream as
 * Lambda's event source mapping does (GetShardIterator / GetRecords) and invokes the function on
 * `lambench serve` with batches, and the function figures come back through CloudWatch Logs
 * FilterLogEvents from serve's own REPORT lines, told apart per memory setting. Needs the build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import kinesalite from 'kinesalite';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type Results, ResultsSchema } from '../../src/metrics/results-schema.js';
import { lambdaAt, ROOT, runOnAws, startServe } from '../helpers/aws-endpoint.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'aws', 'kinesis-service.yaml');
const CREDENTIALS = { accessKeyId: 'AKIDKINESIS', secretAccessKey: 'kinesis-secret' };

/** Kinesis → Lambda as an event source mapping does it: poll each shard, invoke with each batch. */
function startMapping(kinesis: KinesisClient, lambda: LambdaClient, shardIds: string[]) {
  const seen = { records: 0, batches: 0, data: [] as string[] };
  let stopped = false;
  const loops = shardIds.map(async (shardId) => {
    const first = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'clicks',
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let iterator = first.ShardIterator;
    while (!stopped && iterator) {
      const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      iterator = got.NextShardIterator;
      const records = got.Records ?? [];
      if (records.length === 0) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const event = {
        Records: records.map((r) => ({
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: r.PartitionKey,
            sequenceNumber: r.SequenceNumber,
            data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
            approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? 0) / 1000,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `${shardId}:${r.SequenceNumber}`,
          eventName: 'aws:kinesis:record',
          awsRegion: 'us-east-1',
          eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
        })),
      };
      // The mapping invokes synchronously, one batch at a time per shard.
      await lambda.send(
        new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from(JSON.stringify(event)) }),
      );
      seen.batches++;
      seen.records += records.length;
      for (const r of records) seen.data.push(Buffer.from(r.Data ?? new Uint8Array()).toString('utf8'));
    }
  });
  return {
    seen,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

describe('lambench run --target aws with delivery: service (Kinesis)', () => {
  it('puts every record on the stream; the mapping’s batch invocations are measured from the logs, per memory setting', async () => {
    // Prepare: kinesalite with the stream, serve hosting hello, the mapping reading the stream.
    const server: Server = kinesalite({ createStreamMs: 0 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const kinesisUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const kinesis = new KinesisClient({
      endpoint: kinesisUrl,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      requestHandler: new NodeHttpHandler(),
    });
    onTestFinished(async () => {
      kinesis.destroy();
      await new Promise((r) => server.close(r));
    });
    await kinesis.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 2 }));
    let shardIds: string[] = [];
    for (let i = 0; i < 100 && shardIds.length === 0; i++) {
      const d = await kinesis.send(new DescribeStreamCommand({ StreamName: 'clicks' }));
      if (d.StreamDescription?.StreamStatus === 'ACTIVE')
        shardIds = (d.StreamDescription.Shards ?? []).map((s) => s.ShardId ?? '');
      else await new Promise((r) => setTimeout(r, 20));
    }
    const serve = await startServe(FIXTURE);
    const mapping = startMapping(kinesis, lambdaAt(serve.url), shardIds);
    const dir = tempDir('lambench-aws-kinesis-');
    const scenario = join(dir, 'kinesis-service.yaml');
    writeFileSync(
      scenario,
      readFileSync(FIXTURE, 'utf8')
        .replaceAll('../../../examples/', `${join(ROOT, 'examples')}/`)
        .replace('aws:\n', `aws:\n  endpoints: { kinesis: "${kinesisUrl}" }\n`),
    );
    // Act
    const run = await runOnAws(scenario, serve.url, join(dir, 'out'));
    await mapping.stop();
    // Assess
    expect(run.code, run.err).toBe(0);
    const results: Results = ResultsSchema.parse(
      JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')),
    );
    const series = results.points.flatMap((p) => p.series);
    expect(series.map((s) => s.key.memoryMB)).toEqual([128, 256]);
    let put = 0;
    let reports = 0;
    for (const s of series) {
      const service = s.service;
      expect(service).toMatchObject({ kind: 'kinesis', resource: 'clicks', rejected: 0 });
      expect(service?.accepted).toBe(s.ledger.arrivals);
      expect(s.ledger.buckets.succeeded).toBe(s.ledger.arrivals);
      // Records are gathered for 20 ms into one PutRecords call: never more calls than records.
      expect(service?.calls ?? 0).toBeGreaterThanOrEqual(1);
      expect(service?.calls ?? 0).toBeLessThanOrEqual(s.ledger.arrivals);
      put += service?.accepted ?? 0;
      expect(s.logs?.matchedBy).toBe('memory-size');
      expect(s.logs?.found).toBeGreaterThanOrEqual(1);
      expect(s.counters.invocations).toBe(s.logs?.found);
      reports += s.logs?.found ?? 0;
    }
    // Every record put reached the function (each point puts the same seeded 40 records), and each
    // batch invocation has its REPORT in exactly one point.
    expect(mapping.seen.records).toBe(put);
    expect(new Set(mapping.seen.data).size).toBe(series[0]?.ledger.arrivals);
    expect(reports).toBe(mapping.seen.batches);
  });
});
