/**
 * `lambench run` with the three shipped pull-source scenarios, shortened with --duration-scale:
 * the built CLI against the embedded emulator, judged by exit code, results.json (the record
 * ledger, the stream section, the sweep parameters) and the destination files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results, SeriesResults } from '../../src/metrics/results-schema.js';
import { lambench, lingeringEnvironments, ROOT, readJsonl, readResults } from '../fixtures/run/lambench.js';

const work = mkdtempSync(join(tmpdir(), 'lambench-run-pull-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const CONSUMER = join(ROOT, 'examples', 'functions', 'stream-consumer');

async function runShipped(
  name: string,
  scale: string,
): Promise<{ results: Results; dir: string; stdout: string }> {
  const dir = join(work, name);
  const run = await lambench([
    'run',
    join(ROOT, 'scenarios', `${name}.yaml`),
    '--duration-scale',
    scale,
    '--no-progress',
    '--output',
    dir,
  ]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/\(balanced\)/);
  expect(run.stdout).toContain('event source mappings:');
  const results = readResults(dir);
  expect(results.ledger.balanced).toBe(true);
  expect(await lingeringEnvironments(CONSUMER)).toEqual([]);
  return { results, dir, stdout: run.stdout };
}

const streamOf = (s: SeriesResults) => s.stream as NonNullable<SeriesResults['stream']>;

describe('lambench run: pull sources end to end', () => {
  it('kinesis-batch-sweep: one point per batch size; bisect leaves only the poison record in the destination', async () => {
    const { results, dir } = await runShipped('kinesis-batch-sweep', '0.05');

    expect(results.points.map((p) => p.parameters['clicks.batchSize'])).toEqual([10, 100, 500]);
    for (const point of results.points) {
      const s = point.series[0] as SeriesResults;
      const stream = streamOf(s);
      expect(stream.records.balanced).toBe(true);
      expect(stream.records.put).toBeGreaterThan(2500);
      // Every record but the poison one is processed; the poison one alone goes to the destination.
      expect(stream.records).toMatchObject({ sentToDestination: 1, inStream: 0, putThrottled: 0 });
      expect(stream.records.processed).toBe(stream.records.put - 1);
      expect(stream.bisections).toBeGreaterThan(0);
      expect(Math.max(...Object.keys(stream.batchSizes).map(Number))).toBeLessThanOrEqual(
        stream.settings.batchSize,
      );
      expect(stream.iteratorAgeUs?.summary.count).toBe(stream.batches);
      expect(s.ledger.buckets).toMatchObject({ 'dead-lettered': 1, 'in-flight': 0 });
    }
    const lines = readJsonl(join(dir, 'clicks.on-failure.jsonl')) as Array<
      Record<string, Record<string, unknown>>
    >;
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted' });
      // The first try and 2 retries of the record alone, after the bisections that isolated it.
      expect(line.requestContext?.approximateInvokeCount).toBeGreaterThanOrEqual(3);
      expect(line.KinesisBatchInfo).toMatchObject({
        batchSize: 1,
        streamArn: expect.stringMatching(/:stream\/clicks$/),
      });
      expect(line.KinesisBatchInfo?.startSequenceNumber).toBe(line.KinesisBatchInfo?.endSequenceNumber);
    }
  });

  it('sqs-partial-failures: partial responses, redrive of the poison message to the DLQ, FIFO', async () => {
    const { results, dir } = await runShipped('sqs-partial-failures', '0.25');

    expect(results.points).toHaveLength(2);
    for (const point of results.points) {
      for (const s of point.series) {
        const stream = streamOf(s);
        expect(stream.records.balanced).toBe(true);
        // Message 13 fails every time: received 3 times (2 redeliveries), then moved to the DLQ.
        expect(stream.records).toMatchObject({ sentToDestination: 1, inStream: 0 });
        expect(stream.redeliveries).toBe(2);
        expect(stream.records.processed).toBe(stream.records.put - 1);
      }
    }
    const orders = readJsonl(join(dir, 'orders.dlq.jsonl')) as Array<{ body: string }>;
    expect(orders.map((m) => JSON.parse(m.body).id)).toEqual([13, 13]);
    const payments = readJsonl(join(dir, 'payments.dlq.jsonl')) as Array<{
      attributes: Record<string, string>;
    }>;
    expect(payments[0]?.attributes.MessageGroupId).toMatch(/^group-\d$/);
  });

  it('dynamodb-stream: REMOVE records are filtered, the rest processed in key order with window state', async () => {
    const { results } = await runShipped('dynamodb-stream', '0.2');

    const s = results.points[0]?.series[0] as SeriesResults;
    const stream = streamOf(s);
    // 600 writes over 50 keys cycle INSERT, MODIFY ×3, REMOVE: 2 REMOVE rounds of 50.
    expect(stream.records).toMatchObject({ put: 600, filtered: 100, processed: 500, balanced: true });
    expect(s.counters.filtered).toBe(100);
    expect(s.ledger.arrivals).toBe(500);
    expect(stream.settings).toMatchObject({
      parallelizationFactor: 2,
      shards: 2,
      tumblingWindowMs: 10_000,
      filters: 1,
    });
  });
});
