/**
 * The stream mapping's producer and shard pollers over a real Kinesis API (kinesis-api.ts) instead
 * of the in-memory shards: puts are batched into PutRecords calls every few milliseconds, and each
 * record read back by GetRecords is matched to its put by sequence number (records the run did not
 * put — older data in a reused stream — are not the run's and are skipped).
 */
import { hash32 } from '../../events/common.js';
import type { DeliveryContext } from '../types.js';
import type { ApiRecord, KinesisApi, PutEntry } from './kinesis-api.js';
import type { Lane } from './lane.js';
import type { MappingStats } from './mapping-stats.js';
import { NO_BYTES, RecordArena } from './record-bytes.js';
import type { StreamMappingConfig, StreamRecord } from './types.js';

interface Put {
  id: number;
  putMs: number;
  pass: boolean;
  key: string;
  entry: PutEntry;
  /** The record's fields Lambda adds around the Kinesis data (region, role, …), from the generator. */
  envelope: Record<string, unknown>;
}

const FLUSH_MS = 20;
const PUT_BATCH = 500;

export class KinesisApiSource {
  #buffer: Put[] = [];
  #flushing: Promise<void> | undefined;
  readonly #accepted = new Map<string, Put>();
  /** Records GetRecords returned before their PutRecords answer arrived (or not the run's at all). */
  readonly #early = new Map<string, { shardId: string; record: ApiRecord; lanes: Lane[] }>();
  /** Record JSON per shard. */
  readonly #arenas = new Map<string, RecordArena>();
  #stopped = false;
  readonly #cancels: Array<() => void> = [];

  constructor(
    private readonly api: KinesisApi,
    private readonly ctx: DeliveryContext,
    private readonly config: StreamMappingConfig,
    private readonly stats: MappingStats,
    private readonly wake: () => void,
  ) {}

  /** Records put and not yet read back, or not yet sent. */
  get pending(): number {
    return this.#buffer.length + this.#accepted.size;
  }

  put(put: Put): void {
    this.#buffer.push(put);
    if (this.#buffer.length === 1) {
      this.#cancels.push(this.ctx.clock.setTimer(FLUSH_MS, () => void this.#flush()));
    }
  }

  async #flush(): Promise<void> {
    await this.#flushing;
    const batch = this.#buffer.splice(0, PUT_BATCH);
    if (this.#buffer.length > 0) this.#cancels.push(this.ctx.clock.setTimer(0, () => void this.#flush()));
    if (batch.length === 0) return;
    this.#flushing = (async () => {
      let outcomes: Awaited<ReturnType<KinesisApi['put']>>;
      try {
        outcomes = await this.api.put(batch.map((p) => p.entry));
      } catch (error) {
        outcomes = batch.map(() => ({ errorCode: (error as Error).name || 'PutRecordsFailed' }));
      }
      outcomes.forEach((o, i) => {
        const p = batch[i] as Put;
        if (!('sequenceNumber' in o)) {
          this.#refuse(p, o.errorCode);
          return;
        }
        this.#accepted.set(o.sequenceNumber, p);
        const early = this.#early.get(o.sequenceNumber);
        if (early) {
          this.#early.delete(o.sequenceNumber);
          this.#route(early.shardId, [early.record], early.lanes);
        }
      });
      this.wake();
    })();
    await this.#flushing;
  }

  #refuse(p: Put, reason: string): void {
    const { sink, key, clock } = this.ctx;
    this.stats.count('putThrottled', 1);
    if (!p.pass) return; // never an arrival of the key (filtered at put)
    sink.outcome({
      key,
      eventId: p.id,
      bucket: 'dropped',
      reason,
      attempts: 0,
      intendedStartMs: p.putMs,
      endMs: clock.now(),
    });
  }

  /** Starts one poller per shard, each feeding its lanes. */
  async start(lanesFor: (shardId: string) => Lane[]): Promise<void> {
    const position = this.config.startingPosition;
    for (const shardId of await this.api.shardIds()) {
      const reader = this.api.reader(shardId, position, this.config.startingPositionTimestampMs);
      const lanes = lanesFor(shardId);
      const poll = async (): Promise<void> => {
        if (this.#stopped) return;
        let more = false;
        try {
          const records = await reader.read(10_000);
          more = records.length > 0;
          this.#route(shardId, records, lanes);
        } catch {
          // A failed GetRecords is retried at the next poll, as the mapping's poller does.
        }
        if (!this.#stopped)
          this.#cancels.push(
            this.ctx.clock.setTimer(more ? 0 : this.config.pollIntervalMs, () => void poll()),
          );
      };
      void poll();
    }
  }

  #route(
    shardId: string,
    records: Awaited<ReturnType<ReturnType<KinesisApi['reader']>['read']>>,
    lanes: Lane[],
  ): void {
    const perLane: StreamRecord[][] = lanes.map(() => []);
    let filtered = 0;
    for (const r of records) {
      const p = this.#accepted.get(r.sequenceNumber);
      if (p === undefined) {
        if (this.#early.size > 100_000) this.#early.clear();
        this.#early.set(r.sequenceNumber, { shardId, record: r, lanes });
        continue;
      }
      this.#accepted.delete(r.sequenceNumber);
      if (!p.pass) {
        filtered++;
        continue;
      }
      const json = JSON.stringify({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.partitionKey,
          sequenceNumber: r.sequenceNumber,
          data: Buffer.from(r.data).toString('base64'),
          approximateArrivalTimestamp: Math.round(r.arrivalEpochMs) / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${r.sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: p.envelope.invokeIdentityArn,
        awsRegion: p.envelope.awsRegion,
        eventSourceARN: this.api.streamArn,
      });
      const record: StreamRecord = {
        id: p.id,
        shard: 0,
        sequenceNumber: r.sequenceNumber,
        key: p.key,
        putMs: p.putMs,
        arrivalEpochMs: r.arrivalEpochMs,
        chunk: NO_BYTES,
        start: 0,
        bytes: 0,
        pass: true,
      };
      this.#arenaOf(shardId).write(record, json);
      (perLane[lanes.length === 1 ? 0 : hash32(p.key) % lanes.length] as StreamRecord[]).push(record);
    }
    if (filtered > 0) {
      this.stats.count('filtered', filtered);
      this.wake();
    }
    perLane.forEach((list, i) => {
      if (list.length > 0) lanes[i]?.push(list);
    });
  }

  #arenaOf(shardId: string): RecordArena {
    let arena = this.#arenas.get(shardId);
    if (!arena) {
      arena = new RecordArena();
      this.#arenas.set(shardId, arena);
    }
    return arena;
  }

  /** Stops polling; what is unsent or unread is reported (unsent: refused; unread: in the stream). */
  stop(leftInStream: (records: StreamRecord[]) => void): void {
    this.#stopped = true;
    for (const cancel of this.#cancels) cancel();
    for (const p of this.#buffer.splice(0)) this.#refuse(p, 'not sent: the run stopped');
    const unread: StreamRecord[] = [];
    let unmatched = 0;
    for (const [seq, p] of this.#accepted) {
      if (p.pass)
        unread.push({
          id: p.id,
          shard: 0,
          sequenceNumber: seq,
          key: p.key,
          putMs: p.putMs,
          arrivalEpochMs: 0,
          chunk: NO_BYTES,
          start: 0,
          bytes: 0,
          pass: true,
        });
      else unmatched++;
    }
    this.#accepted.clear();
    this.stats.count('inStream', unmatched);
    if (unread.length > 0) leftInStream(unread);
    this.api.close();
  }
}
