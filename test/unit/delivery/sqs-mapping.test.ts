/**
 * The SQS event source mapping in virtual time: visibility timeout and receive counts, redrive to
 * the DLQ after maxReceiveCount, partial batch responses by messageId, FIFO group order, poller
 * scaling capped by MaximumConcurrency, and throttled batches returned to the queue.
 */
import { describe, expect, test } from 'vitest';
import { compileFilterCriteria } from '../../../src/delivery/stream/filter-criteria.js';
import { createSqsMapping } from '../../../src/delivery/stream/sqs-mapping.js';
import { SqsQueue } from '../../../src/delivery/stream/sqs-queue.js';
import { sqsGenerator } from '../../../src/events/sqs.js';
import type { InvocationResult, InvokeRequest, Target } from '../../../src/targets/types.js';
import { key, RecordingSink } from './helpers/recording-sink.js';
import { VirtualClock } from './helpers/virtual-clock.js';

interface SqsBatch {
  Records: Array<{
    messageId: string;
    body: string;
    attributes: { ApproximateReceiveCount: string; MessageGroupId?: string };
  }>;
}
type Reply = InvocationResult['status'] | { batchItemFailures: Array<{ itemIdentifier: string }> } | null;

/** An in-process consumer behind the Target interface, taking `delayMs` of virtual time per batch. */
class ConsumerTarget implements Target {
  readonly info = { kind: 'local' as const, notes: [] };
  readonly batches: SqsBatch[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    private readonly clock: VirtualClock,
    private readonly reply: (batch: SqsBatch) => Reply,
    private readonly delayMs = 50,
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
    const batch = JSON.parse(String(req.payload)) as SqsBatch;
    this.batches.push(batch);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise<void>((resolve) => this.clock.setTimer(this.delayMs, resolve));
    this.inFlight--;
    const out = this.reply(batch);
    if (typeof out === 'string')
      return {
        status: out,
        errorType: out === 'throttled' ? 'TooManyRequestsException' : 'Error',
        payload: new Uint8Array(),
        callLatencyUs: 0,
        cold: false,
      };
    return {
      status: 'ok',
      payload: new TextEncoder().encode(JSON.stringify(out)),
      callLatencyUs: 0,
      cold: false,
    };
  }
}

const idOf = (r: SqsBatch['Records'][number]) => (JSON.parse(r.body) as { id: number }).id;

function setup(
  reply: (batch: SqsBatch) => Reply,
  opts: {
    fifo?: boolean;
    batchSize?: number;
    maxReceiveCount?: number;
    maximumConcurrency?: number;
    reportBatchItemFailures?: boolean;
    delayMs?: number;
  } = {},
) {
  const clock = new VirtualClock();
  const sink = new RecordingSink();
  const target = new ConsumerTarget(clock, reply, opts.delayMs);
  const dlq: unknown[] = [];
  const mapping = createSqsMapping(
    { target, sink, clock, key: key('orders') },
    {
      batchSize: opts.batchSize ?? 10,
      batchingWindowMs: 0,
      reportBatchItemFailures: opts.reportBatchItemFailures ?? false,
      ...(opts.maximumConcurrency === undefined ? {} : { maximumConcurrency: opts.maximumConcurrency }),
      pollIntervalMs: 1000,
      queue: new SqsQueue(opts.fifo ?? false, 30_000, opts.maxReceiveCount, 4 * 86_400_000),
      filter: compileFilterCriteria('sqs', []),
      filterCount: 0,
      deadLetterQueue: { path: 'dlq', lines: 0, append: (r) => dlq.push(r), flush: async () => {} },
    },
  );
  const send = (ids: number[], groups = 3) => {
    for (const id of ids) {
      const event = sqsGenerator.generate(
        'message',
        { fifo: opts.fifo ?? false, body: { id }, groupId: `g${id % groups}` },
        { seed: 1, index: id },
      );
      mapping.put(id, clock.now(), event.Records[0] as unknown as Record<string, unknown>);
    }
  };
  return { clock, sink, target, mapping, send, dlq };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('SQS mapping', () => {
  test('a failed batch comes back after the visibility timeout with a higher receive count, then goes to the DLQ', async () => {
    // Prepare: message 3 always fails the batch it is in.
    const { clock, target, mapping, send, dlq, sink } = setup(
      (b) => (b.Records.some((r) => idOf(r) === 3) ? 'function-error' : null),
      { maxReceiveCount: 3, batchSize: 5 },
    );
    // Act
    send(range(5));
    await clock.advance(29_000);
    // Assess: received once, still invisible.
    expect(target.batches).toHaveLength(1);
    await clock.advance(2_000);
    expect(target.batches).toHaveLength(2);
    expect(target.batches[1]?.Records.map((r) => r.attributes.ApproximateReceiveCount)).toEqual([
      '2',
      '2',
      '2',
      '2',
      '2',
    ]);
    await clock.advance(200_000);
    // Three receives, then SQS moves all five to the DLQ instead of a fourth.
    expect(target.batches).toHaveLength(3);
    expect(dlq).toHaveLength(5);
    expect(mapping.stats.records).toMatchObject({ put: 5, sentToDestination: 5, processed: 0 });
    expect(mapping.stats.redeliveries).toBe(10);
    expect(sink.outcomeOf(3)).toMatchObject({ bucket: 'dead-lettered', attempts: 3 });
    mapping.stop();
  });

  test('partial batch responses: only the listed messageIds come back', async () => {
    const { clock, target, mapping, send } = setup(
      (b) => ({
        batchItemFailures: b.Records.filter(
          (r) => idOf(r) % 4 === 0 && r.attributes.ApproximateReceiveCount === '1',
        ).map((r) => ({ itemIdentifier: r.messageId })),
      }),
      { reportBatchItemFailures: true, batchSize: 10 },
    );
    send(range(10));
    await clock.advance(40_000);
    expect(target.batches.map((b) => b.Records.map(idOf))).toEqual([range(10), [0, 4, 8]]);
    expect(mapping.stats.results().records).toMatchObject({ processed: 10, balanced: true });
    mapping.stop();
  });

  test('FIFO: messages of a group are delivered in order and a group waits while it is in flight', async () => {
    const seen = new Map<string, number[]>();
    let failedOnce = false;
    const { clock, target, mapping, send } = setup(
      (b) => {
        // The first batch holding message 4 fails: its group must not move past it meanwhile.
        if (!failedOnce && b.Records.some((r) => idOf(r) === 4)) {
          failedOnce = true;
          return 'function-error';
        }
        for (const r of b.Records) {
          const g = r.attributes.MessageGroupId as string;
          seen.set(g, [...(seen.get(g) ?? []), idOf(r)]);
        }
        return null;
      },
      { fifo: true, batchSize: 4 },
    );
    send(range(30));
    await clock.advance(120_000);
    expect(mapping.stats.records.processed).toBe(30);
    expect(target.batches.length).toBeGreaterThan(1);
    for (const ids of seen.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
    mapping.stop();
  });

  test('pollers scale with the backlog, capped by MaximumConcurrency', async () => {
    const slow = setup(() => null, { maximumConcurrency: 12, batchSize: 10, delayMs: 5_000 });
    slow.send(range(2000));
    await slow.clock.advance(30_000);
    // Starts at 5, +5 a second while busy, never past 12.
    expect(slow.target.maxInFlight).toBe(12);
    expect(slow.mapping.stats.maxConcurrentBatches).toBe(12);
    slow.mapping.stop();

    const capped = setup(() => null, { maximumConcurrency: 2, batchSize: 10, delayMs: 5_000 });
    capped.send(range(200));
    await capped.clock.advance(30_000);
    expect(capped.target.maxInFlight).toBe(2);
    capped.mapping.stop();
  });

  test('throttled batches return to the queue and count toward maxReceiveCount', async () => {
    let throttle = 2;
    const { clock, mapping, send, sink } = setup(() => (throttle-- > 0 ? 'throttled' : null), {
      maxReceiveCount: 5,
      batchSize: 10,
    });
    send(range(3));
    await clock.advance(100_000);
    expect(mapping.stats.records).toMatchObject({ processed: 3, sentToDestination: 0 });
    expect(sink.outcomeOf(0)).toMatchObject({ bucket: 'succeeded', attempts: 3 });
    mapping.stop();
  });

  test('stopping leaves waiting messages in the queue, each with one outcome', async () => {
    const { clock, mapping, send, sink } = setup(() => 'function-error', { batchSize: 5 });
    send(range(12));
    await clock.advance(1_000);
    mapping.stop();
    await clock.advance(1_000);
    const r = mapping.stats.results().records;
    expect(r).toMatchObject({ put: 12, inStream: 12, balanced: true });
    expect(sink.outcomes).toHaveLength(12);
    expect(new Set(sink.outcomes.map((o) => o.eventId)).size).toBe(12);
  });
});
