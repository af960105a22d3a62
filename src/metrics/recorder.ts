/**
 * The recorder: the MetricsSink delivery calls for one sweep point. It keeps HDR histograms,
 * counters, the per-second series and the ledger per series key, a live snapshot for the
 * progress display, and at finish() assembles the point's results and checks the ledger.
 */
import type { Clock } from '../core/clock.js';
import { LambenchError } from '../core/errors.js';
import { createHistogram, recordClamped } from './histogram.js';
import { describeAnomalies, emptyBuckets, type LedgerAnomalies, sumBuckets } from './ledger.js';
import type {
  Counters,
  LedgerResults,
  PointResults,
  SchedulerResults,
  SeriesResults,
} from './results-schema.js';
import { isError, isInvoked, keyLabel, SeriesState } from './series-state.js';
import {
  type AttemptRecord,
  LEDGER_BUCKETS,
  type LedgerBucket,
  type MetricsSink,
  type OutcomeRecord,
  type SeriesKey,
  type Snapshot,
} from './types.js';

export interface RecorderOptions {
  clock: Clock;
  /** The sweep point, e.g. label "memory=512", parameters { memoryMB: 512 }. */
  label?: string;
  parameters?: Record<string, string | number | boolean>;
}

export interface Recorder extends MetricsSink {
  logReport: NonNullable<MetricsSink['logReport']>;
  logsSection: NonNullable<MetricsSink['logsSection']>;
  serviceSection: NonNullable<MetricsSink['serviceSection']>;
  /** Live figures for the progress display; no histogram is copied. */
  snapshot(): Snapshot;
  /**
   * Each series' counters and ledger buckets so far, copied (no histogram): what thresholds that
   * abort a run early are checked on while the point runs.
   */
  peek(): LiveSeries[];
  /**
   * Closes the point: arrivals without an outcome go to in-flight, histograms are encoded. If the
   * ledger does not add up, throws LedgerImbalanceError carrying the assembled point, so the
   * results can still be written before the run exits with code 3. Idempotent.
   */
  finish(options?: { scheduler?: SchedulerResults }): PointResults;
}

/** One series' figures while its point is still running (Recorder.peek). */
export interface LiveSeries {
  key: SeriesKey;
  counters: Counters;
  arrivals: number;
  buckets: Record<LedgerBucket, number>;
}

/** The ledger did not add up: something generated was lost or counted twice. Exit code 3. */
export class LedgerImbalanceError extends LambenchError {
  override name = 'LedgerImbalanceError';
  constructor(readonly point: PointResults) {
    super('LEDGER_IMBALANCED', `ledger does not add up: ${point.ledger.discrepancies.join('; ')}`);
  }
}

export function createRecorder(options: RecorderOptions): Recorder {
  const { clock } = options;
  const startMs = clock.now();
  const byObject = new WeakMap<SeriesKey, SeriesState>();
  const byName = new Map<string, SeriesState>();
  // Every series' client latency together, for the live p50/p99 (read in place, never copied).
  const overall = createHistogram('us');
  const live = { arrivals: 0, invocations: 0, coldStarts: 0, errors: 0, throttles: 0, dropped: 0 };
  const errorsBySource: Record<string, number> = {};
  const arrivalsThisSecond = { second: 0, count: 0, previous: 0 };
  let finished: PointResults | undefined;

  const secondOf = (ms: number): number => Math.max(0, Math.floor((ms - startMs) / 1000));

  const series = (key: SeriesKey): SeriesState => {
    let state = byObject.get(key);
    if (state) return state;
    const name = `${key.source}\u0000${key.functionName}\u0000${key.qualifier}\u0000${key.memoryMB}`;
    state = byName.get(name);
    if (!state) {
      state = new SeriesState(key);
      byName.set(name, state);
    }
    byObject.set(key, state);
    return state;
  };

  const countArrivalSecond = (second: number): void => {
    const a = arrivalsThisSecond;
    if (second > a.second) {
      a.previous = second === a.second + 1 ? a.count : 0;
      a.second = second;
      a.count = 0;
    }
    a.count++;
  };

  // Work still running when the point closed reports after finish(): those arrivals are already
  // in flight in the results, and a late record must not change a closed point.
  return {
    arrival(key, eventId, intendedStartMs) {
      if (finished) return;
      const state = series(key);
      const second = secondOf(intendedStartMs);
      state.counters.arrivals++;
      state.ledger.arrival(eventId);
      state.perSecond.count(second, 'arrivals');
      live.arrivals++;
      countArrivalSecond(second);
    },

    late(key, firedMs) {
      if (finished) return;
      series(key).perSecond.late(secondOf(firedMs));
    },

    attempt(record: AttemptRecord) {
      if (finished) return;
      const latencyUs = series(record.key).attempt(record, secondOf(record.endMs), startMs);
      const { status, cold } = record.result;
      if (isInvoked(status)) {
        live.invocations++;
        if (cold) live.coldStarts++;
        recordClamped(overall, latencyUs, 'us');
      }
      if (status === 'throttled') live.throttles++;
      if (isError(status)) {
        live.errors++;
        errorsBySource[record.key.source] = (errorsBySource[record.key.source] ?? 0) + 1;
      }
    },

    outcome(record: OutcomeRecord) {
      if (finished) return;
      series(record.key).outcome(record, secondOf(record.endMs));
      if (record.bucket === 'dropped') live.dropped++;
    },

    retry(key) {
      if (finished) return;
      series(key).counters.retries++;
    },

    filtered(key) {
      if (finished) return;
      series(key).counters.filtered++;
    },

    streamSection(key, collect) {
      if (finished) return;
      series(key).collectStream = collect;
    },

    logReport(key, report, invocation) {
      if (finished) return;
      series(key).logReport(report, invocation);
      if (invocation) live.invocations++;
      if (report.initDurationMs !== undefined || report.restoreDurationMs !== undefined) live.coldStarts++;
    },

    logsSection(key, section) {
      if (finished) return;
      series(key).logs = section;
    },

    serviceSection(key, section, latenciesUs) {
      if (finished) return;
      series(key).service = { section, latenciesUs };
    },

    snapshot(): Snapshot {
      const elapsedMs = clock.now() - startMs;
      const nowSecond = Math.floor(elapsedMs / 1000);
      const a = arrivalsThisSecond;
      const lastFull = nowSecond === a.second + 1 ? a.count : nowSecond === a.second ? a.previous : 0;
      let inFlight = 0;
      for (const state of byName.values()) inFlight += state.ledger.inFlight;
      const has = overall.totalCount > 0;
      return {
        elapsedMs,
        arrivals: live.arrivals,
        arrivalsPerSecond: lastFull,
        inFlight,
        p50Ms: has ? overall.getValueAtPercentile(50) / 1000 : null,
        p99Ms: has ? overall.getValueAtPercentile(99) / 1000 : null,
        invocations: live.invocations,
        coldStarts: live.coldStarts,
        errors: live.errors,
        throttles: live.throttles,
        dropped: live.dropped,
        errorsBySource: { ...errorsBySource },
      };
    },

    peek() {
      return [...byName.values()].map((state) => ({
        key: { ...state.key },
        counters: structuredClone(state.counters),
        arrivals: state.ledger.arrivals,
        buckets: { ...state.ledger.buckets },
      }));
    },

    finish(finishOptions = {}) {
      if (!finished) {
        const states = [...byName.values()];
        const seriesResults = states.map((s) => s.finish());
        finished = {
          label: options.label ?? '',
          parameters: options.parameters ?? {},
          durationMs: clock.now() - startMs,
          series: seriesResults,
          ledger: pointLedger(states, seriesResults),
          ...(finishOptions.scheduler ? { scheduler: pickScheduler(finishOptions.scheduler) } : {}),
        };
      }
      if (!finished.ledger.balanced) throw new LedgerImbalanceError(finished);
      return finished;
    },
  };
}

function pointLedger(states: SeriesState[], results: SeriesResults[]): LedgerResults {
  const buckets = emptyBuckets();
  const anomalies: LedgerAnomalies = {
    duplicateArrivals: 0,
    unknownOutcomes: 0,
    duplicateOutcomes: 0,
    attemptsForUnknownArrivals: 0,
    examples: [],
  };
  const discrepancies: string[] = [];
  let arrivals = 0;
  results.forEach((r, i) => {
    arrivals += r.ledger.arrivals;
    for (const b of LEDGER_BUCKETS) buckets[b] += r.ledger.buckets[b];
    const records = r.stream?.records;
    if (records && !records.balanced)
      discrepancies.push(
        `${keyLabel(r.key)}: the record ledger does not add up to the ${records.put} records put`,
      );
    const total = sumBuckets(r.ledger.buckets);
    if (total !== r.ledger.arrivals) {
      const diff = total - r.ledger.arrivals;
      discrepancies.push(
        `${keyLabel(r.key)}: ${r.ledger.arrivals} arrivals but buckets add up to ${total} (${diff > 0 ? '+' : ''}${diff})`,
      );
    }
    const a = states[i]?.ledger.anomalies;
    if (!a) return;
    anomalies.duplicateArrivals += a.duplicateArrivals;
    anomalies.unknownOutcomes += a.unknownOutcomes;
    anomalies.duplicateOutcomes += a.duplicateOutcomes;
    anomalies.attemptsForUnknownArrivals += a.attemptsForUnknownArrivals;
    anomalies.examples.push(...a.examples);
  });
  anomalies.examples = anomalies.examples.slice(0, 20);
  discrepancies.push(...describeAnomalies(anomalies));
  return { balanced: discrepancies.length === 0, arrivals, buckets, anomalies, discrepancies };
}

/** Keeps the fields the schema stores (OpenModelStats carries more). */
function pickScheduler(s: SchedulerResults): SchedulerResults {
  const { scheduled, started, dropped, maxLagMs, meanLagMs, lateOver10Ms, callbackErrors } = s;
  return { scheduled, started, dropped, maxLagMs, meanLagMs, lateOver10Ms, callbackErrors };
}
