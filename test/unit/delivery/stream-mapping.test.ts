/**
 * The stream event source mapping in virtual time: batching window timing, record age expiry,
 * retries exhausted, bisect around a poison record, ReportBatchItemFailures checkpointing,
 * parallelization with per-key order, filter criteria, tumbling-window state, write limits and
 * the record ledger. The function is an in-process handler behind the Target interface (unit
 * tier: no processes); the same behaviours run against the real emulator in the integration test.
 */
import { describe, expect, test } from 'vitest';
import { parseItemFailures } from '../../../src/delivery/stream/batch-item-failures.js';
import { compileFilterCriteria } from '../../../src/delivery/stream/filter-criteria.js';
import { kinesisAdapter } from '../../../src/delivery/stream/record-adapters.js';
import { createStreamMapping } from '../../../src/delivery/stream/stream-mapping.js';
import type { StreamMappingConfig } from '../../../src/delivery/stream/types.js';
import { kinesisGenerator } from '../../../src/events/kinesis.js';
import type { InvocationResult, InvokeRequest, Target } from '../../../src/targets/types.js';
import { key, RecordingSink } from './helpers/recording-sink.js';
import { VirtualClock } from './helpers/virtual-clock.js';

type Handler = (event: KinesisBatch) => unknown;
interface KinesisBatch {
  Records: Array<{ kinesis: { partitionKey: string; sequenceNumber: string; data: string } }>;
  window?: { start: string; end: string };
  state?: { count?: number };
  isFinalInvokeForWindow?: boolean;
}

/** Runs a handler in process after `delayMs` of virtual time; a thrown error is a function error. */
class HandlerTarget implements Target {
  readonly info = { kind: 'local' as const, notes: [] };
  readonly batches: KinesisBatch[] = [];
  constructor(
    private readonly clock: VirtualClock,
    private readonly handler: Handler,
    private readonly delayMs = 5,
  ) {}
  async ensureFunction(): Promise<void> {}
  async prepare(): Promise<string> {
    return '1';
  }
  async close(): Promise<void> {}
  async forceColdStart(_fn: unknown, qualifier: string): Promise<string> {
    return qualifier;
  }
  async invoke(req: InvokeRequest): Promise<InvocationResult> {
    const event = JSON.parse(String(req.payload)) as KinesisBatch;
    this.batches.push(event);
    await new Promise<void>((resolve) => this.clock.setTimer(this.delayMs, resolve));
    try {
      const out = this.handler(event);
      return {
        status: 'ok',
        payload: new TextEncoder().encode(JSON.stringify(out ?? null)),
        callLatencyUs: 0,
        cold: false,
      };
    } catch (error) {
      const body = JSON.stringify({ errorType: 'Error', errorMessage: (error as Error).message });
      return {
        status: 'function-error',
        errorType: 'Error',
        payload: new TextEncoder().encode(body),
        callLatencyUs: 0,
        cold: false,
      };
    }
  }
}

const dataOf = (r: KinesisBatch['Records'][number]) =>
  JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as { id: number; poison?: boolean };

function config(overrides: Partial<StreamMappingConfig> = {}): StreamMappingConfig {
  return {
    kind: 'kinesis',
    batchSize: 10,
    batchingWindowMs: 0,
    parallelizationFactor: 1,
    startingPosition: 'TRIM_HORIZON',
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: -1,
    maximumRecordAgeMs: -1,
    reportBatchItemFailures: false,
    tumblingWindowMs: 0,
    pollIntervalMs: 1000,
    retentionMs: 86_400_000,
    streamArn: '',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn:1',
    ...overrides,
  };
}

/** A mapping on `shards` shards fed by the real Kinesis generator; `poison` ids always fail. */
function setup(
  overrides: Partial<StreamMappingConfig>,
  opts: {
    shards?: number;
    handler?: Handler;
    keys?: number;
    filters?: Record<string, unknown>[];
    limits?: boolean;
  } = {},
) {
  const clock = new VirtualClock();
  const sink = new RecordingSink();
  const target = new HandlerTarget(
    clock,
    opts.handler ??
      ((e) => {
        if (e.Records.some((r) => dataOf(r).poison)) throw new Error('poison');
        return null;
      }),
  );
  const shards = opts.shards ?? 1;
  const mapping = createStreamMapping(
    { target, sink, clock, key: key('clicks') },
    {
      config: config(overrides),
      shards,
      writeLimits: opts.limits ?? false,
      adapter: kinesisAdapter,
      filter: compileFilterCriteria('kinesis', opts.filters ?? []),
      filterCount: opts.filters?.length ?? 0,
    },
  );
  const put = (ids: number[], poison: number[] = []) => {
    for (const id of ids) {
      const event = kinesisGenerator.generate(
        'record',
        {
          shards,
          partitionKey: `k${id % (opts.keys ?? 1000)}`,
          data: { id, ...(poison.includes(id) ? { poison: true } : {}) },
        },
        { seed: 1, index: id },
      );
      mapping.put(id, clock.now(), event.Records[0] as unknown as Record<string, unknown>);
    }
  };
  return { clock, sink, target, mapping, put };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const idsOf = (e: KinesisBatch) => e.Records.map((r) => dataOf(r).id);

describe('stream mapping: batching', () => {
  test('with no window a poll sends what is there; the batching window holds a partial batch until it ends', async () => {
    // Prepare
    const { clock, target, put, mapping } = setup({ batchSize: 100, batchingWindowMs: 3000 });
    // Act: 5 records, far below BatchSize, arrive before the first poll.
    put(range(5));
    await clock.advance(1000);
    // Assess: polled, but the window (3 s from the mapping's start) has not ended.
    expect(target.batches).toHaveLength(0);
    await clock.advance(2000);
    expect(target.batches.map(idsOf)).toEqual([range(5)]);
    mapping.stop();
  });

  test('a full batch goes at once, without waiting for the window', async () => {
    const { clock, target, put, mapping } = setup({ batchSize: 10, batchingWindowMs: 60_000 });
    put(range(25));
    await clock.advance(1100);
    expect(target.batches.slice(0, 2).map((b) => b.Records.length)).toEqual([10, 10]);
    await clock.advance(60_000);
    expect(target.batches.map((b) => b.Records.length)).toEqual([10, 10, 5]);
    mapping.stop();
  });
});

describe('stream mapping: failures', () => {
  test('a poison record without bisect: the whole batch is retried, then discarded to the destination', async () => {
    const appended: unknown[] = [];
    const destination = {
      path: 'x',
      lines: 0,
      append: (r: unknown) => appended.push(r),
      flush: async () => {},
    };
    const { clock, sink, put, mapping } = setup({ maximumRetryAttempts: 2, destination });
    put(range(10), [3]);
    put(range(5, 10));
    await clock.advance(30_000);
    await mapping.settled();
    // 3 attempts of the first batch (1 + 2 retries), then the next batch succeeds.
    expect(mapping.stats.records).toMatchObject({ put: 15, processed: 5, sentToDestination: 10 });
    expect(sink.outcomes.filter((o) => o.bucket === 'dead-lettered')).toHaveLength(10);
    expect(sink.outcomeOf(3)).toMatchObject({ reason: 'RetryAttemptsExhausted', attempts: 3 });
    expect(appended).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 3,
        }),
        KinesisBatchInfo: expect.objectContaining({ shardId: 'shardId-000000000000', batchSize: 10 }),
      }),
    ]);
  });

  test('a poison record with bisect: only that record is discarded; splitting spends no retry', async () => {
    const { clock, sink, put, mapping, target } = setup({
      maximumRetryAttempts: 0,
      bisectBatchOnFunctionError: true,
    });
    put(range(8), [5]);
    await clock.advance(30_000);
    expect(mapping.stats.records).toMatchObject({ put: 8, processed: 7, discarded: 1 });
    expect(sink.outcomeOf(5)).toMatchObject({ bucket: 'failed', reason: 'RetryAttemptsExhausted' });
    // 8 → 4+4 → (4 ok) 2+2 → 1+1: the poison record alone, attempted once (0 retries).
    expect(target.batches.map(idsOf)).toEqual([range(8), range(4), range(4, 4), [4, 5], [4], [5], [6, 7]]);
    expect(mapping.stats.bisections).toBe(3);
  });

  test('ReportBatchItemFailures checkpoints at the lowest failed record and retries from there', async () => {
    let calls = 0;
    const { clock, put, mapping, target, sink } = setup(
      { reportBatchItemFailures: true, maximumRetryAttempts: 5 },
      {
        handler: (e) => {
          calls++;
          // First call: records 4 and 7 fail; afterwards everything succeeds.
          const failed = calls === 1 ? e.Records.filter((r) => [4, 7].includes(dataOf(r).id)) : [];
          return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
        },
      },
    );
    put(range(10));
    await clock.advance(30_000);
    // 0–3 are checkpointed; 4–9 (including 5, 6 that had succeeded) are sent again.
    expect(target.batches.map(idsOf)).toEqual([range(10), range(6, 4)]);
    expect(mapping.stats.records).toMatchObject({ processed: 10 });
    expect(mapping.stats.recordsRetried).toBe(6);
    expect(sink.outcomeOf(2)).toMatchObject({ attempts: 1 });
    expect(sink.outcomeOf(9)).toMatchObject({ attempts: 2 });
  });

  test('records older than MaximumRecordAge are expired before the next retry', async () => {
    const { clock, put, mapping, sink } = setup({ maximumRecordAgeMs: 60_000 });
    put(range(3), [0]);
    await clock.advance(120_000);
    expect(mapping.stats.records).toMatchObject({ put: 3, expired: 3, processed: 0 });
    expect(sink.outcomeOf(1)).toMatchObject({ bucket: 'expired', reason: 'RecordAgeExceeded' });
    mapping.stop();
  });
});

describe('stream mapping: ordering and concurrency', () => {
  test('ParallelizationFactor runs batches of different keys at once, each key strictly in order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen = new Map<string, number[]>();
    const { clock, put, mapping, target } = setup(
      { parallelizationFactor: 4, batchSize: 5 },
      {
        keys: 12,
        handler: (e) => {
          for (const r of e.Records) {
            const list = seen.get(r.kinesis.partitionKey) ?? [];
            list.push(dataOf(r).id);
            seen.set(r.kinesis.partitionKey, list);
          }
          return null;
        },
      },
    );
    const realInvoke = target.invoke.bind(target);
    target.invoke = async (req) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await realInvoke(req);
      } finally {
        inFlight--;
      }
    };
    put(range(240));
    await clock.advance(30_000);
    expect(mapping.stats.records.processed).toBe(240);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    for (const ids of seen.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  test('records of each shard are delivered in sequence order, a batch never mixes shards', async () => {
    const { clock, put, target } = setup({ batchSize: 50 }, { shards: 4 });
    put(range(400));
    await clock.advance(30_000);
    const byShard = new Map<string, bigint[]>();
    for (const batch of target.batches) {
      const shardsInBatch = new Set(
        batch.Records.map((r) => (r as unknown as { eventID: string }).eventID.split(':')[0]),
      );
      expect(shardsInBatch.size).toBe(1);
      const shard = [...shardsInBatch][0] as string;
      byShard.set(shard, [
        ...(byShard.get(shard) ?? []),
        ...batch.Records.map((r) => BigInt(r.kinesis.sequenceNumber)),
      ]);
    }
    expect(byShard.size).toBe(4);
    for (const seqs of byShard.values())
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
  });
});

describe('stream mapping: filters, windows, limits and the ledger', () => {
  test('records no filter matches are dropped before batching and counted as filtered', async () => {
    const { clock, put, mapping, target, sink } = setup(
      {},
      { filters: [{ data: { id: [{ numeric: ['<', 3] }] } }] },
    );
    put(range(10));
    await clock.advance(30_000);
    expect(target.batches.map(idsOf)).toEqual([[0, 1, 2]]);
    expect(mapping.stats.records).toMatchObject({ put: 10, filtered: 7, processed: 3 });
    expect(mapping.stats.results().records.balanced).toBe(true);
    expect(sink.filteredOut).toHaveLength(7);
  });

  test('tumbling windows pass state between invocations and end with a final invocation', async () => {
    const { clock, put, target } = setup(
      { tumblingWindowMs: 10_000, batchSize: 3 },
      { handler: (e) => ({ state: { count: (e.state?.count ?? 0) + e.Records.length } }) },
    );
    put(range(7));
    await clock.advance(15_000);
    const windows = target.batches.map((b) => [
      b.Records.length,
      b.state?.count ?? 0,
      b.isFinalInvokeForWindow,
    ]);
    // State accumulates across the window's batches; the final call carries the total and no records.
    expect(windows.slice(0, 3)).toEqual([
      [3, 0, false],
      [3, 3, false],
      [1, 6, false],
    ]);
    expect(windows.at(-1)).toEqual([0, 7, true]);
  });

  test('a shard refuses puts past 1,000 records per second (ProvisionedThroughputExceeded)', async () => {
    const { put, mapping, sink, clock } = setup({}, { limits: true });
    put(range(1200));
    expect(mapping.stats.records).toMatchObject({ put: 1200, putThrottled: 200 });
    expect(sink.outcomes.filter((o) => o.reason === 'ProvisionedThroughputExceededException')).toHaveLength(
      200,
    );
    await clock.advance(30_000);
    expect(mapping.stats.results().records).toMatchObject({ processed: 1000, balanced: true });
  });

  test('stopping leaves unprocessed records in the stream: every record has exactly one end', async () => {
    const { clock, put, mapping, sink } = setup({ batchSize: 10 });
    put(range(100));
    await clock.advance(1000);
    mapping.stop();
    await clock.advance(30_000);
    const r = mapping.stats.results().records;
    expect(r.balanced).toBe(true);
    expect(r.processed + r.inStream).toBe(100);
    expect(r.inStream).toBeGreaterThan(0);
    expect(new Set(sink.outcomes.map((o) => o.eventId)).size).toBe(100);
    expect(sink.outcomes).toHaveLength(100);
  });
});

describe('parseItemFailures', () => {
  const ids = ['10', '20', '30'];
  test.each([
    ['', 'success'],
    ['null', 'success'],
    ['{}', 'success'],
    ['{"batchItemFailures":[]}', 'success'],
    ['{"batchItemFailures":null}', 'success'],
    ['not json', 'all'],
    ['{"batchItemFailures":[{"itemIdentifier":""}]}', 'all'],
    ['{"batchItemFailures":[{"itemIdentifier":null}]}', 'all'],
    ['{"batchItemFailures":[{"id":"20"}]}', 'all'],
    ['{"batchItemFailures":[{"itemIdentifier":"99"}]}', 'all'],
    ['{"batchItemFailures":[{"itemIdentifier":"30"},{"itemIdentifier":"20"}]}', 'partial'],
  ])('%s → %s', (payload, kind) => {
    const verdict = parseItemFailures(payload, ids);
    expect(verdict.kind).toBe(kind);
    if (verdict.kind === 'partial') expect(verdict.failed).toEqual([1, 2]);
  });
});
