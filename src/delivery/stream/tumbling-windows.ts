/**
 * Tumbling windows for a shard (Lambda developer guide, "Using tumbling windows"): records are
 * assigned to fixed windows by arrival time; every invocation carries the window, the state the
 * previous invocation of that window returned, and the shard; the function must answer
 * `{state, batchItemFailures?}` — an answer without `state` fails the batch. When a window has
 * ended, one last invocation with no records and `isFinalInvokeForWindow: true` hands over the
 * final state, which is then dropped.
 */
import type { InvocationResult } from '../../targets/types.js';
import { batchPayload } from './record-bytes.js';
import type { StreamRecord } from './types.js';

export class TumblingWindows {
  /** State per window start (epoch ms) not yet finalised. */
  readonly #states = new Map<number, unknown>();
  /** The last record of each open window (the final invocation is reported against it). */
  readonly #lastRecord = new Map<number, StreamRecord>();

  constructor(readonly windowMs: number) {}

  windowOf(record: StreamRecord): number {
    return Math.floor(record.arrivalEpochMs / this.windowMs) * this.windowMs;
  }

  /** The invocation payload for a batch (all records of one window). */
  payload(records: readonly StreamRecord[], shardId: string, streamArn: string): Buffer {
    const start = this.windowOf(records[0] as StreamRecord);
    return batchPayload(records, '{"Records":[', `],${this.#meta(start, shardId, streamArn, false)}`);
  }

  /** Checks the answer has `state` (else the batch fails) and keeps it for the window's next call. */
  accept(records: readonly StreamRecord[], result: InvocationResult): InvocationResult {
    const start = this.windowOf(records[0] as StreamRecord);
    let state: unknown;
    try {
      state = (JSON.parse(new TextDecoder().decode(result.payload)) as { state?: unknown } | null)?.state;
    } catch {
      state = undefined;
    }
    if (state === undefined || state === null || typeof state !== 'object') {
      return { ...result, status: 'function-error', errorType: 'TumblingWindowStateMissing' };
    }
    this.#states.set(start, state);
    this.#lastRecord.set(start, records[records.length - 1] as StreamRecord);
    return result;
  }

  /** Windows that ended before `epochMs` and still hold state: each needs its final invocation. */
  ended(epochMs: number): Array<{ start: number; last: StreamRecord }> {
    const out: Array<{ start: number; last: StreamRecord }> = [];
    for (const [start, last] of this.#lastRecord)
      if (start + this.windowMs <= epochMs) out.push({ start, last });
    return out.sort((a, b) => a.start - b.start);
  }

  finalPayload(start: number, shardId: string, streamArn: string): string {
    return `{"Records":[],${this.#meta(start, shardId, streamArn, true)}`;
  }

  /** The final invocation succeeded: the window's state is dropped. */
  finished(start: number): void {
    this.#states.delete(start);
    this.#lastRecord.delete(start);
  }

  /** The event's fields after `Records`, without the opening brace. */
  #meta(start: number, shardId: string, streamArn: string, final: boolean): string {
    const window = {
      start: new Date(start).toISOString(),
      end: new Date(start + this.windowMs).toISOString(),
    };
    const meta = JSON.stringify({
      window,
      state: this.#states.get(start) ?? {},
      shardId,
      eventSourceARN: streamArn,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: false,
    });
    return meta.slice(1);
  }
}
