import type { AttemptRecord, MetricsSink, OutcomeRecord, SeriesKey } from '../../../../src/metrics/types.js';

/** Keeps every record the delivery reports, for assertions. */
export class RecordingSink implements MetricsSink {
  arrivals: Array<{ key: SeriesKey; eventId: number }> = [];
  attempts: AttemptRecord[] = [];
  outcomes: OutcomeRecord[] = [];
  retries: Array<{ key: SeriesKey; eventId: number; reason: string }> = [];
  filteredOut: Array<{ key: SeriesKey; eventId: number }> = [];

  arrival(key: SeriesKey, eventId: number): void {
    this.arrivals.push({ key, eventId });
  }
  attempt(record: AttemptRecord): void {
    this.attempts.push(record);
  }
  outcome(record: OutcomeRecord): void {
    this.outcomes.push(record);
  }
  retry(key: SeriesKey, eventId: number, reason: string): void {
    this.retries.push({ key, eventId, reason });
  }
  filtered(key: SeriesKey, eventId: number): void {
    this.filteredOut.push({ key, eventId });
  }
  outcomeOf(eventId: number): OutcomeRecord | undefined {
    return this.outcomes.find((o) => o.eventId === eventId);
  }
}

export function key(source = 's3', functionName = 'fn'): SeriesKey {
  return { source, functionName, qualifier: '1', memoryMB: 128 };
}
