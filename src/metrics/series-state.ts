/**
 * Everything recorded for one series key: counters, lazily created histograms (cold/warm),
 * the per-second series and the ledger.
 */
import type { InvocationStatus, LoggedReport } from '../targets/types.js';
import {
  createHistogram,
  type EncodedHistogram,
  encodeHistogram,
  type Histogram,
  type HistogramUnit,
  msToUs,
  recordClamped,
} from './histogram.js';
import { KeyLedger, sumBuckets } from './ledger.js';
import type { LogsResults, ServiceResults } from './logs-schema.js';
import { PerSecondSeries } from './per-second.js';
import type { Counters, SeriesResults, StreamResults } from './results-schema.js';
import type { AttemptRecord, OutcomeRecord, SeriesKey } from './types.js';

const HISTOGRAMS = {
  clientCold: 'us',
  clientWarm: 'us',
  rejected: 'us',
  durationCold: 'us',
  durationWarm: 'us',
  billedCold: 'us',
  billedWarm: 'us',
  init: 'us',
  memoryCold: 'MB',
  memoryWarm: 'MB',
  endToEnd: 'us',
  overhead: 'us',
} as const satisfies Record<string, HistogramUnit>;
type HistogramName = keyof typeof HISTOGRAMS;

/** Statuses where the function ran (Lambda's Invocations metric excludes throttles). */
const INVOKED: ReadonlySet<InvocationStatus> = new Set(['ok', 'function-error', 'timeout', 'out-of-memory']);

/** The function ran (Lambda's Invocations metric excludes throttles and service errors). */
export function isInvoked(status: InvocationStatus): boolean {
  return INVOKED.has(status);
}

/** An error in lambench's counts: anything but success and throttling (counted apart). */
export function isError(status: InvocationStatus): boolean {
  return status !== 'ok' && status !== 'throttled';
}

export function keyLabel(key: SeriesKey): string {
  return `${key.source}→${key.functionName}:${key.qualifier} (${key.memoryMB} MB)`;
}

function emptyCounters(): Counters {
  return {
    arrivals: 0,
    attempts: 0,
    invocations: 0,
    coldStarts: 0,
    errors: 0,
    errorsByType: {},
    throttles: 0,
    retries: 0,
    timeouts: 0,
    outOfMemory: 0,
    serviceErrors: 0,
    filtered: 0,
    httpStatuses: {},
    droppedByReason: {},
    outcomeReasons: {},
    clampedValues: 0,
  };
}

export class SeriesState {
  readonly counters = emptyCounters();
  readonly ledger: KeyLedger;
  readonly perSecond = new PerSecondSeries();
  readonly #histograms: Partial<Record<HistogramName, Histogram>> = {};
  /** Set by a pull source's mapping: its `stream` section, collected when the point closes. */
  collectStream: (() => StreamResults) | undefined;
  /** How figures were read from logs, when they were (Event invokes, `delivery: service`). */
  logs: LogsResults | undefined;
  /** `delivery: service`: the publishes or puts, with their call latencies. */
  service: { section: ServiceResults; latenciesUs: readonly number[] } | undefined;

  constructor(readonly key: SeriesKey) {
    this.key = { ...key };
    this.ledger = new KeyLedger(keyLabel(key));
  }

  /** Records an attempt; returns its client latency in µs (end − intended start). */
  attempt(record: AttemptRecord, second: number, pointStartMs = 0): number {
    const c = this.counters;
    const result = record.result;
    const latencyUs = msToUs(record.endMs - record.intendedStartMs);
    c.attempts++;
    this.perSecond.count(second, 'attempts');
    this.ledger.attempt(record.eventId);
    if (record.httpStatus !== undefined) increment(c.httpStatuses, String(record.httpStatus));
    if (record.answeredAfterIntegrationTimeout) {
      c.answeredAfterIntegrationTimeout = (c.answeredAfterIntegrationTimeout ?? 0) + 1;
    }
    if (result.status === 'throttled') {
      c.throttles++;
      this.perSecond.count(second, 'throttles');
      if (result.retryAfterS !== undefined) {
        c.retryAfterS ??= {};
        increment(c.retryAfterS, String(result.retryAfterS));
      }
    } else if (result.status === 'service-error') {
      c.serviceErrors++;
    }
    if (isError(result.status)) {
      c.errors++;
      increment(c.errorsByType, result.errorType ?? result.status);
      this.perSecond.count(second, 'errors');
    }
    if (!isInvoked(result.status)) {
      this.#record('rejected', latencyUs);
      return latencyUs;
    }
    c.invocations++;
    this.perSecond.count(second, 'invocations');
    this.perSecond.busy((record.startMs - pointStartMs) / 1000, (record.endMs - pointStartMs) / 1000);
    if (result.status === 'timeout') c.timeouts++;
    if (result.status === 'out-of-memory') c.outOfMemory++;
    const cold = result.cold;
    if (cold) {
      c.coldStarts++;
      this.perSecond.count(second, 'coldStarts');
    }
    this.#record(cold ? 'clientCold' : 'clientWarm', latencyUs);
    this.perSecond.latency(second, latencyUs);
    if (result.durationMs !== undefined) {
      this.#record(cold ? 'durationCold' : 'durationWarm', msToUs(result.durationMs));
      // What the harness and the platform add to a warm call: latency seen from the intended start
      // minus the function's own duration (scheduling lag, delivery, Runtime API round trip).
      if (!cold) this.#record('overhead', Math.max(0, latencyUs - msToUs(result.durationMs)));
    }
    if (result.billedDurationMs !== undefined) {
      this.#record(cold ? 'billedCold' : 'billedWarm', msToUs(result.billedDurationMs));
    }
    if (result.initDurationMs !== undefined) this.#record('init', msToUs(result.initDurationMs));
    if (result.maxMemoryUsedMB !== undefined)
      this.#record(cold ? 'memoryCold' : 'memoryWarm', result.maxMemoryUsedMB);
    return latencyUs;
  }

  /**
   * A REPORT line read from the function's logs: its figures, cold or warm by its Init or Restore
   * Duration; a Status (timeout, error) counts as the error it reports. `invocation`: no attempt
   * of lambench's counted this invocation already.
   */
  logReport(report: LoggedReport, invocation: boolean): void {
    const c = this.counters;
    if (invocation) c.invocations++;
    const cold = report.initDurationMs !== undefined || report.restoreDurationMs !== undefined;
    if (cold) c.coldStarts++;
    if (report.status !== undefined) {
      c.errors++;
      if (report.status === 'timeout') c.timeouts++;
      if (report.errorType === 'Runtime.OutOfMemory') c.outOfMemory++;
      const type = report.status === 'timeout' ? 'Sandbox.Timedout' : (report.errorType ?? report.status);
      increment(c.errorsByType, type);
    }
    this.#record(cold ? 'durationCold' : 'durationWarm', msToUs(report.durationMs));
    this.#record(cold ? 'billedCold' : 'billedWarm', msToUs(report.billedDurationMs));
    if (report.initDurationMs !== undefined) this.#record('init', msToUs(report.initDurationMs));
    this.#record(cold ? 'memoryCold' : 'memoryWarm', report.maxMemoryUsedMB);
  }

  outcome(record: OutcomeRecord, second: number): void {
    this.ledger.outcome(record.eventId, record.bucket);
    this.perSecond.count(second, 'outcomes');
    if (record.httpStatus !== undefined) increment(this.counters.httpStatuses, String(record.httpStatus));
    if (record.bucket === 'dropped') increment(this.counters.droppedByReason, record.reason ?? 'unspecified');
    else if (record.bucket !== 'succeeded') {
      const reasons = this.counters.outcomeReasons[record.bucket] ?? {};
      this.counters.outcomeReasons[record.bucket] = reasons;
      const reason = record.reason ?? 'unspecified';
      // Reasons can carry per-event text (a custom resource's own Reason): bound the distinct ones.
      const bounded =
        reason in reasons || Object.keys(reasons).length < MAX_REASONS ? reason : 'other reasons';
      increment(reasons, bounded);
    }
    // End-to-end latency only means something for arrivals the function actually handled.
    if (record.bucket !== 'dropped' && record.bucket !== 'in-flight') {
      this.#record('endToEnd', msToUs(record.endMs - record.intendedStartMs));
    }
  }

  finish(): SeriesResults {
    this.ledger.closeInFlight();
    const enc = (name: HistogramName): EncodedHistogram | undefined => {
      const h = this.#histograms[name];
      return h && h.totalCount > 0 ? encodeHistogram(h, HISTOGRAMS[name]) : undefined;
    };
    const coldWarm = (cold: HistogramName, warm: HistogramName) => ({
      ...present('cold', enc(cold)),
      ...present('warm', enc(warm)),
    });
    const { arrivals, buckets } = this.ledger;
    const stream = this.collectStream?.();
    return {
      ...(stream === undefined ? {} : { stream }),
      ...(this.logs === undefined ? {} : { logs: this.logs }),
      ...(this.service === undefined ? {} : { service: this.#serviceResults(this.service) }),
      key: this.key,
      counters: this.counters,
      histograms: {
        clientLatencyUs: coldWarm('clientCold', 'clientWarm'),
        ...present('rejectedLatencyUs', enc('rejected')),
        durationUs: coldWarm('durationCold', 'durationWarm'),
        billedDurationUs: coldWarm('billedCold', 'billedWarm'),
        ...present('initDurationUs', enc('init')),
        maxMemoryUsedMB: coldWarm('memoryCold', 'memoryWarm'),
        ...present('endToEndLatencyUs', enc('endToEnd')),
        ...present('overheadUs', enc('overhead')),
      },
      perSecond: this.perSecond.finish(),
      ledger: {
        arrivals,
        buckets: { ...buckets },
        balanced: sumBuckets(buckets) === arrivals && this.ledger.anomalyCount === 0,
      },
    };
  }

  #serviceResults(s: { section: ServiceResults; latenciesUs: readonly number[] }) {
    if (s.latenciesUs.length === 0) return s.section;
    const h = createHistogram('us');
    for (const us of s.latenciesUs) if (!recordClamped(h, us, 'us')) this.counters.clampedValues++;
    return { ...s.section, callLatencyUs: encodeHistogram(h, 'us') };
  }

  #record(name: HistogramName, value: number): void {
    const unit = HISTOGRAMS[name];
    let h = this.#histograms[name];
    if (!h) {
      h = createHistogram(unit);
      this.#histograms[name] = h;
    }
    if (!recordClamped(h, value, unit)) this.counters.clampedValues++;
  }
}

/** Distinct outcome reasons kept per bucket. */
const MAX_REASONS = 50;

function increment(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

/** `{ [name]: value }` when there is a value, `{}` otherwise (absent, never undefined). */
function present<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [name]: value } as { [P in K]?: V });
}
