/**
 * Reads a metric of the namespace (metric-namespace.ts) out of results.json for one sweep point
 * and a set of its series. A metric that the file does not carry is `missing` with the reason —
 * thresholds fail on it, they never pass silently.
 */
import { perMillionInvocations } from '../cost/index.js';
import { mergeHistograms } from '../metrics/histogram.js';
import type { HarnessVerdict, PointResults, Results, SeriesResults } from '../metrics/results-schema.js';
import {
  COUNTER_METRICS,
  type CounterMetric,
  HISTOGRAM_METRICS,
  type HistogramMetric,
  type HistogramStat,
} from './metric-namespace.js';

export type MetricValue = { value: number } | { flag: boolean } | { missing: string };

type EncodedHistogram = NonNullable<SeriesResults['histograms']['initDurationUs']>;

/** The value of `metric` (no function prefix) over `series` of `point` in `results`. */
export function metricValue(
  results: Results,
  point: PointResults,
  series: readonly SeriesResults[],
  metric: readonly string[],
): MetricValue {
  const name = metric.join('.');
  const [head = '', second, third] = metric;
  switch (name) {
    case 'harness.clean': {
      const verdict = harnessVerdict(results);
      return { flag: verdict ? verdict.clean : !results.run.harness.saturated };
    }
    case 'harness.saturated':
      return { flag: results.run.harness.saturated };
    case 'ledger.balanced':
      return { flag: point.ledger.balanced };
    case 'run.aborted':
      return { flag: results.run.aborted };
    case 'harness.lateArrivals': {
      const verdict = harnessVerdict(results);
      if (verdict) return { value: verdict.lateArrivals.count };
      return point.scheduler ? { value: point.scheduler.lateOver10Ms } : { missing: 'no scheduler figures' };
    }
    case 'harness.stalls': {
      const verdict = harnessVerdict(results);
      return verdict
        ? { value: verdict.stalls.length }
        : { missing: 'this results file has no harness verdict' };
    }
    case 'harness.loopDelay.max': {
      const samples = results.run.harness.samples;
      if (samples.length === 0) return { missing: 'no harness samples' };
      return { value: Math.max(...samples.map((s) => s.loopDelayMaxMs)) * 1000 };
    }
    case 'scheduler.maxLag':
      return point.scheduler
        ? { value: point.scheduler.maxLagMs * 1000 }
        : { missing: 'no scheduler figures' };
    case 'throughput.mean': {
      if (series.length === 0) return { missing: 'no series' };
      const seconds = point.durationMs / 1000;
      return seconds > 0
        ? { value: sum(series, (s) => s.counters.invocations) / seconds }
        : { missing: 'no duration' };
    }
    case 'throughput.max': {
      const perSecond = new Map<number, number>();
      for (const s of series)
        for (const row of s.perSecond)
          perSecond.set(row.second, (perSecond.get(row.second) ?? 0) + row.invocations);
      return perSecond.size > 0
        ? { value: Math.max(...perSecond.values()) }
        : { missing: 'no per-second figures' };
    }
    case 'batchSize.mean':
      return meanBatchSize(series);
    case 'cost.per1M': {
      const perMillion = perMillionInvocations(series);
      return perMillion === undefined ? { missing: 'no invocations, so no cost' } : { value: perMillion };
    }
    default:
      break;
  }
  if (head in HISTOGRAM_METRICS) {
    const split = second === 'cold' || second === 'warm' ? second : undefined;
    const stat = (split ? third : second) as HistogramStat;
    return histogramValue(series, head as HistogramMetric, split, stat);
  }
  if (head in COUNTER_METRICS) return counterValue(series, head as CounterMetric, second === 'rate');
  return optionalValue(series, name);
}

function histogramValue(
  series: readonly SeriesResults[],
  metric: HistogramMetric,
  split: 'cold' | 'warm' | undefined,
  stat: HistogramStat,
): MetricValue {
  const field = HISTOGRAM_METRICS[metric];
  const parts: EncodedHistogram[] = [];
  for (const s of series) {
    const h = field === 'stream.iteratorAgeUs' ? s.stream?.iteratorAgeUs : s.histograms[field];
    if (h === undefined) continue;
    if ('encoded' in h) {
      if (split === undefined) parts.push(h);
    } else {
      for (const side of split ? [split] : (['cold', 'warm'] as const)) {
        const one = h[side];
        if (one) parts.push(one);
      }
    }
  }
  const label = split ? `${metric}.${split}` : metric;
  if (stat === 'count') return { value: parts.reduce((n, h) => n + h.summary.count, 0) };
  if (parts.length === 0) return { missing: `no ${label} values were recorded` };
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only) return { value: only.summary[stat] };
  const merged = mergeHistograms(parts);
  if (merged.totalCount === 0) return { missing: `no ${label} values were recorded` };
  const exactMax = Math.max(...parts.map((h) => h.summary.max));
  // Percentiles are bucket tops (up to 0.1% high); never above the exact maximum.
  const at = (p: number): number => Math.min(merged.getValueAtPercentile(p), exactMax);
  const byStat: Record<Exclude<HistogramStat, 'count'>, () => number> = {
    min: () => Math.min(...parts.map((h) => h.summary.min)),
    mean: () => merged.mean,
    p50: () => at(50),
    p90: () => at(90),
    p95: () => at(95),
    p99: () => at(99),
    p999: () => at(99.9),
    max: () => exactMax,
  };
  return { value: byStat[stat]() };
}

export function counterValue(
  series: readonly SeriesResults[],
  metric: CounterMetric,
  rate: boolean,
): MetricValue {
  if (series.length === 0) return { missing: 'no series matched' };
  const count = sum(series, (s) => counterOf(s, metric));
  if (!rate) return { value: count };
  const denominator = COUNTER_METRICS[metric].denominator;
  if (denominator === undefined) return { missing: `${metric} has no rate` };
  const total = sum(series, (s) => counterOf(s, denominator));
  return total > 0 ? { value: count / total } : { missing: `no ${denominator}, so no ${metric} rate` };
}

function counterOf(s: SeriesResults, metric: CounterMetric): number {
  switch (metric) {
    case 'dropped':
      return s.ledger.buckets.dropped ?? 0;
    case 'failed':
      return s.ledger.buckets.failed ?? 0;
    case 'deadLettered':
      return s.ledger.buckets['dead-lettered'] ?? 0;
    default:
      return s.counters[metric];
  }
}

/**
 * Figures other work adds to series as optional fields (cost, stream mappings): read by name when
 * present, missing otherwise.
 */
function optionalValue(series: readonly SeriesResults[], name: string): MetricValue {
  const values: number[] = [];
  for (const s of series) {
    const v = OPTIONAL_READERS[name]?.(s);
    if (v !== undefined) values.push(v);
  }
  if (values.length === 0) return { missing: `this results file has no ${name} figures` };
  return {
    value: name.endsWith('.mean') ? values.reduce((a, b) => a + b, 0) / values.length : Math.max(...values),
  };
}

/** Readers of optional per-series figures, by metric name. */
const OPTIONAL_READERS: Record<string, (s: SeriesResults) => number | undefined> = {
  'batchSize.max': (s) => {
    const sizes = Object.keys(s.stream?.batchSizes ?? {}).map(Number);
    return sizes.length > 0 ? Math.max(...sizes) : undefined;
  },
};

/** Mean batch size over every batch of the series (weighted by batches, not series). */
function meanBatchSize(series: readonly SeriesResults[]): MetricValue {
  let records = 0;
  let batches = 0;
  for (const s of series)
    for (const [size, n] of Object.entries(s.stream?.batchSizes ?? {})) {
      records += Number(size) * n;
      batches += n;
    }
  return batches > 0
    ? { value: records / batches }
    : { missing: 'this results file has no batch sizes (no pull source)' };
}

/** The harness verdict (run.harness.verdict), absent in files written before it existed. */
export function harnessVerdict(results: Results): HarnessVerdict | undefined {
  return results.run.harness.verdict;
}

function sum(series: readonly SeriesResults[], pick: (s: SeriesResults) => number): number {
  return series.reduce((n, s) => n + pick(s), 0);
}
