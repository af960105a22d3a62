/**
 * Artillery's JSON report (`artillery run --output`) back into a lambench sweep point (pure). Counts
 * come from the engine's counters; histograms are rebuilt from Artillery's summaries — min, p50,
 * p75, p90, p95, p99, p999, max of a DDSketch with 1 % relative accuracy — so each one is marked
 * `approximation: "artillery-summary"` and its summary keeps Artillery's own figures. What the
 * report cannot carry (per-second series, outcome reasons, harness samples) is left out, never made up.
 */
import { InputError } from '../core/errors.js';
import {
  createHistogram,
  type EncodedHistogram,
  encodeHistogram,
  type HistogramUnit,
} from '../metrics/histogram.js';
import { emptyBuckets, sumBuckets } from '../metrics/ledger.js';
import type { Counters, LedgerResults, PointResults, SeriesResults } from '../metrics/results-schema.js';
import { LEDGER_BUCKETS, type LedgerBucket } from '../metrics/types.js';
import type { SweepPoint } from '../scenario/plan.js';
import type { Scenario } from '../scenario/types.js';
import { aliasForSetting } from '../targets/local.js';
import { parseSeriesMetric, seriesMetric } from './metric-names.js';

/** One of Artillery's summaries: ms (or MB), rounded to 0.1. */
export interface ArtillerySummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p75?: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
}

export interface ArtilleryPeriod {
  counters: Record<string, number>;
  rates?: Record<string, number>;
  summaries: Record<string, ArtillerySummary>;
  firstMetricAt?: number;
  lastMetricAt?: number;
}

export interface ArtilleryReport {
  aggregate: ArtilleryPeriod;
  intermediate?: ArtilleryPeriod[];
}

/** Checks the shape of an `--output` file enough to convert it; names the file when it is not one. */
export function parseArtilleryReport(text: string, file: string): ArtilleryReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new InputError('ARTILLERY_REPORT', `not valid JSON (${(cause as Error).message})`, {
      position: { file },
      cause,
    });
  }
  const aggregate = (data as { aggregate?: unknown } | null)?.aggregate as
    | Partial<ArtilleryPeriod>
    | undefined;
  if (aggregate === undefined || typeof aggregate.counters !== 'object' || aggregate.counters === null) {
    throw new InputError('ARTILLERY_REPORT', 'expected an Artillery JSON report with aggregate.counters', {
      position: { file, field: 'aggregate' },
    });
  }
  return {
    ...(data as ArtilleryReport),
    aggregate: { summaries: {}, ...aggregate, counters: aggregate.counters } as ArtilleryPeriod,
  };
}

/** What the conversion says about itself, for run.engine.notes. */
export const CONVERSION_NOTES = [
  'histograms are rebuilt from Artillery summaries (DDSketch, 1% relative accuracy; min, p50, p75, p90, p95, p99, p99.9, max): percentiles between those points are interpolated, not measured',
  'per-second series, outcome reasons, the harness monitor and the scheduler section are not in Artillery reports and are left out',
];

/** The sweep point the report describes; `durationMs` is the run's wall time as lambench saw it. */
export function convertArtilleryReport(
  report: ArtilleryReport,
  scenario: Scenario,
  point: SweepPoint,
  options: {
    label: string;
    parameters: Record<string, number>;
    durationMs: number;
    /** The qualifier each function was invoked with (aws); default the local alias of its memory. */
    qualifiers?: Readonly<Record<string, string>>;
  },
): PointResults {
  const a = report.aggregate;
  const found = new Map<string, { functionName: string; memoryMB: number }>();
  for (const name of [...Object.keys(a.counters), ...Object.keys(a.summaries)]) {
    const parsed = parseSeriesMetric(name);
    if (parsed) found.set(`${parsed.functionName}\u0000${parsed.memoryMB}`, parsed);
  }
  // Series the point should have had, even when nothing reached them.
  for (const [fn, mb] of Object.entries(point.memoryMB))
    found.set(`${fn}\u0000${mb}`, { functionName: fn, memoryMB: mb });
  const series = [...found.values()]
    .sort((x, y) =>
      x.functionName < y.functionName ? -1 : x.functionName > y.functionName ? 1 : x.memoryMB - y.memoryMB,
    )
    .map(({ functionName, memoryMB }) =>
      seriesFrom(
        a,
        scenario,
        functionName,
        memoryMB,
        point.memoryMB[functionName] === memoryMB ? options.qualifiers?.[functionName] : undefined,
      ),
    );
  return {
    label: options.label,
    parameters: options.parameters,
    durationMs: options.durationMs,
    series,
    ledger: pointLedger(series),
  };
}

function seriesFrom(
  a: ArtilleryPeriod,
  scenario: Scenario,
  functionName: string,
  memoryMB: number,
  qualifier: string | undefined,
): SeriesResults {
  const count = (metric: string): number => a.counters[seriesMetric(functionName, memoryMB, metric)] ?? 0;
  const prefix = `${seriesMetric(functionName, memoryMB, '')}`;
  const byPrefix = (sub: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [name, value] of Object.entries(a.counters)) {
      if (name.startsWith(prefix + sub)) out[name.slice(prefix.length + sub.length)] = value;
    }
    return out;
  };
  const buckets = emptyBuckets();
  for (const b of LEDGER_BUCKETS) buckets[b] = count(`outcome.${b}`);
  const arrivals = count('arrivals');
  // Artillery waits for every user, so arrivals without an outcome were cut short (an interrupted run).
  buckets['in-flight'] += Math.max(0, arrivals - sumBuckets(buckets));
  const counters: Counters = {
    arrivals,
    attempts: count('attempts'),
    invocations: count('invocations'),
    coldStarts: count('cold_starts'),
    errors: count('errors'),
    errorsByType: byPrefix('error.'),
    throttles: count('throttles'),
    retries: count('retries'),
    timeouts: count('timeouts'),
    outOfMemory: count('out_of_memory'),
    serviceErrors: count('service_errors'),
    filtered: count('filtered'),
    httpStatuses: byPrefix('http.'),
    droppedByReason: buckets.dropped > 0 ? { unspecified: buckets.dropped } : {},
    outcomeReasons: {},
    clampedValues: 0,
    ...(count('answered_after_integration_timeout') > 0
      ? { answeredAfterIntegrationTimeout: count('answered_after_integration_timeout') }
      : {}),
  };
  const h = (metric: string, unit: HistogramUnit): { [k: string]: EncodedHistogram } => {
    const s = a.summaries[seriesMetric(functionName, memoryMB, metric)];
    return s && s.count > 0 ? { v: rebuild(s, unit) } : {};
  };
  const one = (metric: string, unit: HistogramUnit = 'us') => h(metric, unit).v;
  const coldWarm = (cold: EncodedHistogram | undefined, warm: EncodedHistogram | undefined) => ({
    ...(cold ? { cold } : {}),
    ...(warm ? { warm } : {}),
  });
  const init = one('init_duration');
  const endToEnd = one('end_to_end');
  // Artillery keeps one histogram per name: duration, billed duration and memory are not split by
  // cold and warm, so they are filed under warm (the bulk of a run) and said so in the notes.
  return {
    key: {
      source: sourcesOf(scenario, functionName),
      functionName,
      qualifier: qualifier ?? aliasForSetting({ memoryMB }),
      memoryMB,
    },
    counters,
    histograms: {
      clientLatencyUs: coldWarm(one('cold_latency'), one('warm_latency')),
      durationUs: coldWarm(undefined, one('duration')),
      billedDurationUs: coldWarm(undefined, one('billed_duration')),
      ...(init ? { initDurationUs: init } : {}),
      maxMemoryUsedMB: coldWarm(undefined, one('max_memory_used', 'MB')),
      ...(endToEnd ? { endToEndLatencyUs: endToEnd } : {}),
    },
    perSecond: [],
    ledger: { arrivals, buckets, balanced: sumBuckets(buckets) === arrivals },
  };
}

/** The sources that deliver to a function, joined with "+" (the engine's metrics are per function). */
function sourcesOf(scenario: Scenario, functionName: string): string {
  const names = Object.values(scenario.sources)
    .filter((s) => s.to.includes(functionName))
    .map((s) => s.name);
  return names.length > 0 ? names.join('+') : '(none)';
}

/** The quantile points of a summary, as (rank 0…1, value). */
function quantilePoints(s: ArtillerySummary): Array<[number, number]> {
  const points: Array<[number, number | undefined]> = [
    [0, s.min],
    [0.5, s.p50],
    [0.75, s.p75],
    [0.9, s.p90],
    [0.95, s.p95],
    [0.99, s.p99],
    [0.999, s.p999],
    [1, s.max],
  ];
  let last = 0;
  const out: Array<[number, number]> = [];
  for (const [rank, value] of points) {
    if (value === undefined) continue;
    // Sketch quantiles can pass the exact max by a little: keep the curve monotonic.
    last = Math.max(last, Math.min(value, s.max));
    out.push([rank, last]);
  }
  return out;
}

/**
 * An HDR histogram with `count` values spread along the summary's quantile curve (linear between
 * its points), so its percentiles give back Artillery's; the summary is Artillery's own (µs or MB).
 */
export function rebuild(
  s: ArtillerySummary,
  unit: HistogramUnit,
): EncodedHistogram & { approximation: 'artillery-summary' } {
  const factor = unit === 'us' ? 1000 : 1;
  const histogram = createHistogram(unit);
  const points = quantilePoints(s);
  const valueAt = (rank: number): number => {
    for (let i = 1; i < points.length; i++) {
      const [r1, v1] = points[i] as [number, number];
      const [r0, v0] = points[i - 1] as [number, number];
      if (rank <= r1) return r1 === r0 ? v1 : v0 + ((v1 - v0) * (rank - r0)) / (r1 - r0);
    }
    return s.max;
  };
  // At most 2,000 steps whatever the count: each step records its share of the values at once.
  const steps = Math.min(s.count, 2000);
  let recorded = 0;
  for (let i = 0; i < steps; i++) {
    const upto = Math.round(((i + 1) * s.count) / steps);
    const n = upto - recorded;
    if (n <= 0) continue;
    const rank = steps === 1 ? 0.5 : i / (steps - 1);
    histogram.recordValueWithCount(Math.max(0, Math.round(valueAt(rank) * factor)), n);
    recorded = upto;
  }
  const encoded = encodeHistogram(histogram, unit);
  const v = (ms: number) => ms * factor;
  return {
    ...encoded,
    summary: {
      count: s.count,
      min: v(s.min),
      mean: v(s.mean),
      p50: v(s.p50),
      p90: v(s.p90),
      p95: v(s.p95),
      p99: v(s.p99),
      p999: v(s.p999),
      max: v(s.max),
    },
    approximation: 'artillery-summary',
  };
}

function pointLedger(series: SeriesResults[]): LedgerResults {
  const buckets = emptyBuckets();
  let arrivals = 0;
  const discrepancies: string[] = [];
  for (const s of series) {
    arrivals += s.ledger.arrivals;
    for (const b of LEDGER_BUCKETS) buckets[b as LedgerBucket] += s.ledger.buckets[b];
    if (!s.ledger.balanced) {
      discrepancies.push(
        `${s.key.functionName} (${s.key.memoryMB} MB): ${s.ledger.arrivals} arrivals but outcomes add up to ${sumBuckets(s.ledger.buckets)}`,
      );
    }
  }
  return {
    balanced: discrepancies.length === 0,
    arrivals,
    buckets,
    anomalies: {
      duplicateArrivals: 0,
      unknownOutcomes: 0,
      duplicateOutcomes: 0,
      attemptsForUnknownArrivals: 0,
      examples: [],
    },
    discrepancies,
  };
}
