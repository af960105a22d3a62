/**
 * The stream mapping against a real Kinesis API: kinesalite started here on 127.0.0.1 (port 0),
 * the real @aws-sdk/client-kinesis over HTTP/1.1, and the real emulator running the example
 * stream consumer. Records are put with PutRecords, read back with GetRecords, batched, bisected
 * around a poison record, and every record ends in the ledger.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kinesalite from 'kinesalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { compileFilterCriteria } from '../../src/delivery/stream/filter-criteria.js';
import { openKinesisApi } from '../../src/delivery/stream/kinesis-api.js';
import { kinesisAdapter } from '../../src/delivery/stream/record-adapters.js';
import { createStreamMapping } from '../../src/delivery/stream/stream-mapping.js';
import { createEmulator } from '../../src/emulator/index.js';
import { kinesisGenerator } from '../../src/events/kinesis.js';
import { createLocalTarget } from '../../src/targets/local.js';
import type { Target } from '../../src/targets/types.js';
import { lambench, ROOT, readJsonl, readResults } from '../fixtures/run/lambench.js';
import { RecordingSink } from '../unit/delivery/helpers/recording-sink.js';

describe('stream mapping over kinesalite', () => {
  let server: Server;
  let endpoint: string;
  let target: Target;
  let qualifier: string;

  beforeAll(async () => {
    server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const api = await createEmulator({ idleTimeoutMs: 60_000 });
    target = createLocalTarget({ api });
    const fn = {
      name: 'consumer',
      handler: 'index.handler',
      codeDir: join(ROOT, 'examples', 'functions', 'stream-consumer'),
      runtime: 'nodejs20.x',
      timeoutS: 10,
      environment: { POISON: '5' },
    };
    await target.ensureFunction(fn);
    qualifier = await target.prepare(fn, { memoryMB: 256 });
  });

  it('lambench run with kinesis.endpoint: every point reads the real stream and balances its ledger', async () => {
    // Prepare: two points share the stream; each reads only the records it put.
    const dir = mkdtempSync(join(tmpdir(), 'lambench-kinesalite-'));
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      [
        'name: kinesalite-run',
        'functions:',
        `  consumer: { handler: ${join(ROOT, 'examples', 'functions', 'stream-consumer')}/index.handler, environment: { POISON: "7" } }`,
        'sources:',
        '  clicks:',
        `    kinesis: { stream: run-clicks, shards: 2, endpoint: "${endpoint}", data: { id: "{{ index }}" } }`,
        '    to: consumer',
        '    load: [{ duration: 2s, arrivalRate: 30 }]',
        '    mapping: { batchSize: [10, 50], pollInterval: 200ms, bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, onFailure: destination }',
        'run: { grace: 10s }',
      ].join('\n'),
    );
    try {
      // Act
      const run = await lambench(['run', scenario, '--no-progress', '--output', join(dir, 'out')]);
      // Assess
      expect(run.code, run.stderr).toBe(0);
      const results = readResults(join(dir, 'out'));
      for (const point of results.points) {
        const stream = point.series[0]?.stream;
        expect(stream?.settings.backend).toBe(endpoint);
        expect(stream?.records).toMatchObject({
          put: 60,
          processed: 59,
          sentToDestination: 1,
          balanced: true,
        });
      }
      expect(readJsonl(join(dir, 'out', 'clicks.on-failure.jsonl'))).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lambench run --kinesis-endpoint sends a scenario without an endpoint to the real stream', async () => {
    // Prepare: the file names no endpoint; the flag supplies it.
    const dir = mkdtempSync(join(tmpdir(), 'lambench-kinesalite-flag-'));
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      [
        'name: kinesalite-flag',
        'functions:',
        `  consumer: { handler: ${join(ROOT, 'examples', 'functions', 'stream-consumer')}/index.handler }`,
        'sources:',
        '  clicks:',
        '    kinesis: { stream: flag-clicks, shards: 1, data: { id: "{{ index }}" } }',
        '    to: consumer',
        '    load: [{ duration: 1s, arrivalRate: 20 }]',
        '    mapping: { batchSize: 10, pollInterval: 200ms }',
        'run: { grace: 10s }',
      ].join('\n'),
    );
    try {
      // Act
      const run = await lambench([
        'run',
        scenario,
        '--kinesis-endpoint',
        endpoint,
        '--no-progress',
        '--output',
        join(dir, 'out'),
      ]);
      // Assess
      expect(run.code, run.stderr).toBe(0);
      const stream = readResults(join(dir, 'out')).points[0]?.series[0]?.stream;
      expect(stream?.settings.backend).toBe(endpoint);
      expect(stream?.records).toMatchObject({ put: 20, processed: 20, balanced: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  afterAll(async () => {
    await target?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('puts with PutRecords, reads back per shard, bisects the poison record to the destination', async () => {
    // Prepare
    const api = await openKinesisApi({ endpoint, stream: 'clicks', shards: 2, clock: systemClock });
    const sink = new RecordingSink();
    const appended: Array<Record<string, Record<string, unknown>>> = [];
    const key = { source: 'clicks', functionName: 'consumer', qualifier, memoryMB: 256 };
    const mapping = createStreamMapping(
      { target, sink, clock: systemClock, key },
      {
        config: {
          kind: 'kinesis',
          batchSize: 10,
          batchingWindowMs: 0,
          parallelizationFactor: 1,
          startingPosition: 'TRIM_HORIZON',
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: 0,
          maximumRecordAgeMs: -1,
          reportBatchItemFailures: false,
          tumblingWindowMs: 0,
          pollIntervalMs: 100,
          retentionMs: 86_400_000,
          streamArn: '',
          functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer',
          destination: {
            path: 'memory',
            lines: 0,
            append: (r) => appended.push(r as Record<string, Record<string, unknown>>),
            flush: async () => {},
          },
        },
        shards: 2,
        writeLimits: false,
        adapter: kinesisAdapter,
        filter: compileFilterCriteria('kinesis', []),
        filterCount: 0,
        api,
        endpoint,
      },
    );
    // Act
    const records = kinesisGenerator.batch(
      40,
      { stream: 'clicks', shards: 2, partitionKey: 'k{{ index }}', data: { id: '{{ index }}' } },
      { seed: 1, index: 0 },
    );
    records.forEach((r, id) => {
      mapping.put(id, systemClock.now(), r as unknown as Record<string, unknown>);
    });
    await Promise.race([mapping.settled(), new Promise((resolve) => setTimeout(resolve, 30_000))]);
    mapping.stop();
    // Assess
    const stats = mapping.stats.results();
    expect(stats.records).toMatchObject({
      put: 40,
      processed: 39,
      sentToDestination: 1,
      inStream: 0,
      balanced: true,
    });
    expect(stats.settings.backend).toBe(endpoint);
    expect(sink.outcomeOf(5)).toMatchObject({ bucket: 'dead-lettered', reason: 'RetryAttemptsExhausted' });
    expect(sink.outcomes).toHaveLength(40);
    expect(appended).toHaveLength(1);
    const info = appended[0]?.KinesisBatchInfo;
    expect(info).toMatchObject({
      batchSize: 1,
      streamArn: expect.stringMatching(/^arn:aws:kinesis:.*:stream\/clicks$/),
    });
    expect(String(info?.shardId)).toMatch(/^shardId-\d{12}$/);
    // 39 good records in batches of at most 10 from 2 shards, plus the bisection's smaller batches.
    expect(stats.batches).toBeGreaterThanOrEqual(6);
    expect(Math.max(...Object.keys(stats.batchSizes).map(Number))).toBeLessThanOrEqual(10);
  });
});
