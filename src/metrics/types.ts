/**
 * What delivery reports to the recorder. Delivery calls the sink; the recorder turns records into
 * histograms, counters, per-second series and the ledger. Times in these records are milliseconds
 * on the run's monotonic clock (Clock.now()); the recorder stores latencies in integer µs.
 */
import type { InvocationResult, LoggedReport } from '../targets/types.js';
import type { LogsResults, ServiceResults } from './logs-schema.js';
import type { StreamResults } from './results-schema.js';

/** Identifies one histogram family: a source delivering to a function at one memory setting. */
export interface SeriesKey {
  source: string;
  functionName: string;
  /** The qualifier prepared for the setting (alias or version). */
  qualifier: string;
  memoryMB: number;
}

/** One call to the target (a first attempt or a retry). */
export interface AttemptRecord {
  key: SeriesKey;
  /** Which arrival this attempt belongs to. */
  eventId: number;
  attempt: number; // 1-based
  /** Monotonic ms when the call was intended to start (arrival time for attempt 1, retry due time after). */
  intendedStartMs: number;
  /** Monotonic ms when the call actually started and ended. */
  startMs: number;
  endMs: number;
  result: InvocationResult;
  /**
   * The HTTP status the client received from this call's result (API Gateway); absent for other
   * sources, and for a call API Gateway had stopped waiting for (its 504 is on the outcome).
   */
  httpStatus?: number;
  /**
   * API Gateway answered the client 504 at the integration timeout while this call was still
   * running: the function ran to its end (Lambda does not stop it), so it is invoked, measured and
   * billed like any other call, but its result reached nobody.
   */
  answeredAfterIntegrationTimeout?: boolean;
}

/** Where every generated event ends: exactly one bucket. */
export const LEDGER_BUCKETS = [
  'succeeded',
  'failed', // failed after retries, no DLQ / destination configured (or sync failure)
  'dead-lettered', // written to the DLQ / on-failure destination
  'expired', // older than maximumEventAge
  'dropped', // dropped by the harness (maxInFlight) or throttled with nobody to retry
  'in-flight', // still pending when the run stopped
] as const;
export type LedgerBucket = (typeof LEDGER_BUCKETS)[number];

/** The final outcome of one arrival. */
export interface OutcomeRecord {
  key: SeriesKey;
  eventId: number;
  bucket: LedgerBucket;
  /** Why, for failed/dead-lettered/expired/dropped: the errorType or a harness reason. */
  reason?: string;
  attempts: number;
  /** Monotonic ms: arrival's intended time and when the outcome was decided. */
  intendedStartMs: number;
  endMs: number;
  /** The HTTP status API Gateway answered without a call's result (504 at the integration timeout). */
  httpStatus?: number;
}

export interface MetricsSink {
  /** An arrival was generated (counts toward the ledger total). */
  arrival(key: SeriesKey, eventId: number, intendedStartMs: number): void;
  /** An arrival fired past the scheduler's late tolerance, at `firedMs` (clock ms). Optional: only the scheduler reports it. */
  late?(key: SeriesKey, firedMs: number): void;
  attempt(record: AttemptRecord): void;
  outcome(record: OutcomeRecord): void;
  /** A retry was scheduled (async queue) — counted, not an outcome. */
  retry(key: SeriesKey, eventId: number, reason: string): void;
  /**
   * An SNS message a subscription's filter policy rejected: counted per subscription, never an
   * arrival for that key (SNS never delivers it), so it is outside that key's ledger.
   */
  filtered(key: SeriesKey, eventId: number): void;
  /**
   * A pull source's event source mapping registers how to collect its `stream` section; the
   * recorder calls `collect` once, when the point closes.
   */
  streamSection?(key: SeriesKey, collect: () => StreamResults): void;
  /**
   * A REPORT line read back from the function's logs: its figures go into the key's duration,
   * billed-duration, init and memory histograms and its cold-start count. `invocation` is false when
   * an attempt already counted the invocation (an Event invoke's 202), true when no call of
   * lambench's did (a retry Lambda made itself, an invocation by SNS or a Kinesis mapping).
   */
  logReport?(key: SeriesKey, report: LoggedReport, invocation: boolean): void;
  /** How the key's figures were read from logs (set once, before the point closes). */
  logsSection?(key: SeriesKey, section: LogsResults): void;
  /** `delivery: service`: what lambench's publishes or puts did (set once, before the point closes). */
  serviceSection?(key: SeriesKey, section: ServiceResults, callLatenciesUs: readonly number[]): void;
}

/** The outcome reason the run engine uses for arrivals the open model dropped (maxInFlight). */
export const HARNESS_DROP_REASON = 'harness-max-in-flight';

/** What the live progress display shows; cheap to take several times a second. */
export interface Snapshot {
  elapsedMs: number;
  arrivals: number;
  /** Arrivals in the last complete second. */
  arrivalsPerSecond: number;
  /** Arrivals with no outcome yet. */
  inFlight: number;
  /** Client latency so far over every series, ms; null before the first invocation ends. */
  p50Ms: number | null;
  p99Ms: number | null;
  invocations: number;
  coldStarts: number;
  errors: number;
  throttles: number;
  dropped: number;
  errorsBySource: Record<string, number>;
}
