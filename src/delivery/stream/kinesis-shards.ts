/**
 * The in-memory Kinesis stream: N shards, each an append-only list of records in sequence order,
 * with Kinesis's per-shard write limits — 1,000 records and 1 MiB per second — enforced per
 * one-second window, so an over-driven stream refuses puts (ProvisionedThroughputExceeded) the
 * way Kinesis does instead of showing throughput a real stream could not take.
 */
import { RecordArena } from './record-bytes.js';
import type { StreamRecord } from './types.js';

export const SHARD_RECORDS_PER_SECOND = 1000;
export const SHARD_BYTES_PER_SECOND = 1024 * 1024;

export type PutResult = 'ok' | 'throttled';

/** One shard's records; `trimmed` of them have left the front (retention), the rest are readable. */
export class Shard {
  readonly records: StreamRecord[] = [];
  /** The records' JSON, in shard order (a batch's records are then mostly one piece). */
  readonly arena = new RecordArena();
  /** Index in `records` of the first record still held; earlier ones were released. */
  start = 0;
  #second = -1;
  #count = 0;
  #bytes = 0;

  constructor(
    readonly index: number,
    readonly id: string,
    private readonly limits: boolean,
  ) {}

  /** Appends the record unless this second's write budget is spent. `bytes` = data + partition key. */
  put(record: StreamRecord, bytes: number, nowMs: number): PutResult {
    if (this.limits) {
      const second = Math.floor(nowMs / 1000);
      if (second !== this.#second) {
        this.#second = second;
        this.#count = 0;
        this.#bytes = 0;
      }
      if (this.#count + 1 > SHARD_RECORDS_PER_SECOND || this.#bytes + bytes > SHARD_BYTES_PER_SECOND)
        return 'throttled';
      this.#count += 1;
      this.#bytes += bytes;
    }
    this.records.push(record);
    return 'ok';
  }

  /** Drops references to records before `index` (they were read), so a long run keeps memory flat. */
  release(index: number): void {
    if (index - this.start < 4096) return;
    this.records.splice(0, index - this.start);
    this.start = index;
  }

  /** The record at absolute position `index`, if held. */
  at(index: number): StreamRecord | undefined {
    return this.records[index - this.start];
  }

  /** Absolute position one past the last record. */
  get end(): number {
    return this.start + this.records.length;
  }
}

export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}
