/**
 * What the stream and the queue mapping both do with the run's ledger: report each record's one
 * outcome, refuse a put (arrival + dropped outcome), and let a caller wait until every record put
 * has reached an end (the mapping stats' open count is zero).
 */
import type { OutcomeRecord } from '../../metrics/types.js';
import type { DeliveryContext } from '../types.js';
import type { MappingStats } from './mapping-stats.js';

export type RecordEnd = Extract<
  OutcomeRecord['bucket'],
  'succeeded' | 'failed' | 'dead-lettered' | 'expired' | 'in-flight'
>;

export class MappingLedger {
  readonly #waiters: Array<() => void> = [];

  constructor(
    private readonly ctx: DeliveryContext,
    private readonly stats: MappingStats,
  ) {}

  /** The outcome of one record (`intendedStartMs`: its put or send), ending at `endMs`. */
  outcome(
    eventId: number,
    intendedStartMs: number,
    bucket: RecordEnd,
    attempts: number,
    reason: string | undefined,
    endMs: number,
  ): void {
    const record: OutcomeRecord = { key: this.ctx.key, eventId, bucket, attempts, intendedStartMs, endMs };
    if (reason !== undefined) record.reason = reason;
    this.ctx.sink.outcome(record);
  }

  /** A put the stream or queue did not take: it arrived and was dropped, with why. */
  refused(eventId: number, intendedMs: number, reason: string): void {
    const { sink, key, clock } = this.ctx;
    this.stats.count('putThrottled', 1);
    sink.arrival(key, eventId, intendedMs);
    sink.outcome({
      key,
      eventId,
      bucket: 'dropped',
      reason,
      attempts: 0,
      intendedStartMs: intendedMs,
      endMs: clock.now(),
    });
  }

  /** Call after records reach an end: releases settled() once none is open. */
  wake(): void {
    if (this.stats.open !== 0) return;
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves when every record put has reached an end. */
  settled(): Promise<void> {
    if (this.stats.open === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
