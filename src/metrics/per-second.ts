/**
 * Per-second series for time charts: counts per whole second since the point started, and p50/p99
 * of client latency per second from one rolling histogram that is read and reset when the
 * second changes (records arrive in completion order, so seconds only move forward).
 */
import { createHistogram, type Histogram, recordClamped } from './histogram.js';
import type { PerSecondRow } from './results-schema.js';

type CountField = Exclude<
  keyof PerSecondRow,
  'second' | 'p50Us' | 'p99Us' | 'concurrency' | 'harnessDelayed' | 'late'
>;

export class PerSecondSeries {
  readonly #rows = new Map<number, PerSecondRow>();
  #latencySecond = -1;
  #latency: Histogram | undefined;

  count(second: number, field: CountField): void {
    this.#row(second)[field]++;
  }

  /** An arrival fired late (past the scheduler's tolerance) in `second`. */
  late(second: number): void {
    const row = this.#row(second);
    row.late = (row.late ?? 0) + 1;
  }

  /**
   * Records a client latency (µs) that ended in `second`. A record for an earlier second than
   * the rolling one (out of order across sources) counts toward the current second's percentiles.
   */
  latency(second: number, us: number): void {
    if (second > this.#latencySecond) {
      this.#roll();
      this.#latencySecond = second;
    }
    this.#latency ??= createHistogram('us');
    recordClamped(this.#latency, us, 'us');
  }

  /**
   * Adds an invocation's time in the function, in seconds since the point started, to each second
   * it overlaps: a second's total is its time-weighted mean concurrency.
   */
  busy(fromS: number, toS: number): void {
    const from = Math.max(0, fromS);
    for (let second = Math.floor(from); second < toS; second++) {
      const overlap = Math.min(toS, second + 1) - Math.max(from, second);
      if (overlap <= 0) continue;
      const row = this.#row(second);
      row.concurrency = (row.concurrency ?? 0) + overlap;
    }
  }

  /** Rows in time order, the last second's percentiles included. */
  finish(): PerSecondRow[] {
    this.#roll();
    const rows = [...this.#rows.values()].sort((a, b) => a.second - b.second);
    for (const row of rows) row.concurrency = Math.round((row.concurrency ?? 0) * 1000) / 1000;
    return rows;
  }

  #roll(): void {
    const h = this.#latency;
    if (!h || h.totalCount === 0) return;
    const row = this.#row(this.#latencySecond);
    row.p50Us = h.getValueAtPercentile(50);
    row.p99Us = h.getValueAtPercentile(99);
    h.reset();
  }

  #row(second: number): PerSecondRow {
    let row = this.#rows.get(second);
    if (!row) {
      row = {
        second,
        arrivals: 0,
        attempts: 0,
        invocations: 0,
        coldStarts: 0,
        errors: 0,
        throttles: 0,
        outcomes: 0,
        p50Us: null,
        p99Us: null,
        concurrency: 0,
      };
      this.#rows.set(second, row);
    }
    return row;
  }
}
