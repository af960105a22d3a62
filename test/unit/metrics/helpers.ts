/** Builders for recorder tests: attempt and outcome records with sensible defaults. */
import type { InvocationResult } from '../../../src/targets/types.js';
import type { AttemptRecord, LedgerBucket, OutcomeRecord, SeriesKey } from '../../../src/metrics/types.js';

export const keyA: SeriesKey = { source: 's3', functionName: 'resize', qualifier: 'mem-512', memoryMB: 512 };
export const keyB: SeriesKey = { source: 'sns', functionName: 'notify', qualifier: 'mem-128', memoryMB: 128 };

export function result(overrides: Partial<InvocationResult> = {}): InvocationResult {
  return { status: 'ok', payload: new Uint8Array(), callLatencyUs: 0, cold: false, ...overrides };
}

export function attempt(
  key: SeriesKey,
  eventId: number,
  intendedStartMs: number,
  endMs: number,
  overrides: Partial<InvocationResult> = {},
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    key,
    eventId,
    attempt: 1,
    intendedStartMs,
    startMs: intendedStartMs,
    endMs,
    result: result(overrides),
    ...extra,
  };
}

export function outcome(
  key: SeriesKey,
  eventId: number,
  bucket: LedgerBucket,
  intendedStartMs: number,
  endMs: number,
  reason?: string,
): OutcomeRecord {
  return { key, eventId, bucket, attempts: 1, intendedStartMs, endMs, ...(reason ? { reason } : {}) };
}
