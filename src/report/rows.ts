/**
 * The per function × memory setting figures every report shows (HTML, Markdown, compare): one row
 * per sweep point, function and memory setting, with the series of every source that feeds it
 * merged. Reads only results.json.
 */
import { perMillionInvocations } from '../cost/index.js';
import type { Histogram } from '../metrics/histogram.js';
import { mergeHistograms } from '../metrics/histogram.js';
import type { PointResults, Results, SeriesResults } from '../metrics/results-schema.js';
import { seriesApproximated } from './engine.js';

/** Latency figures in µs. */
export interface LatencyFigures {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface ReportRow {
  /** Stable id: point index, function, memory. */
  id: string;
  pointIndex: number;
  point: string;
  functionName: string;
  memoryMB: number;
  sources: string[];
  arrivals: number;
  attempts: number;
  invocations: number;
  errors: number;
  errorsByType: Record<string, number>;
  throttles: number;
  coldStarts: number;
  /** coldStarts / invocations; undefined without invocations. */
  coldStartRate: number | undefined;
  /** errors / attempts; undefined without attempts. */
  errorRate: number | undefined;
  latency: LatencyFigures | undefined;
  warm: LatencyFigures | undefined;
  cold: LatencyFigures | undefined;
  init: LatencyFigures | undefined;
  /** Highest REPORT Max Memory Used, MB. */
  maxMemoryUsedMB: number | undefined;
  /** Invocations per second over the point. */
  throughput: number | undefined;
  /** Cost per 1M invocations in USD (src/cost model, us-east-1 x86_64 list prices). */
  costPer1M: number | undefined;
  /** Some histogram was rebuilt (an Artillery run), not recorded: its figures are approximate. */
  approximated: boolean;
  series: SeriesResults[];
}

/** Every row of every point, in point order then first appearance. */
export function reportRows(results: Results): ReportRow[] {
  return results.points.flatMap((point, index) => pointRows(point, index));
}

function pointRows(point: PointResults, pointIndex: number): ReportRow[] {
  const groups = new Map<string, SeriesResults[]>();
  for (const s of point.series) {
    const id = `${pointIndex}/${s.key.functionName}/${s.key.memoryMB}`;
    const list = groups.get(id) ?? [];
    list.push(s);
    groups.set(id, list);
  }
  return [...groups].map(([id, series]) => rowOf(id, point, pointIndex, series));
}

function rowOf(id: string, point: PointResults, pointIndex: number, series: SeriesResults[]): ReportRow {
  const first = series[0] as SeriesResults;
  const sum = (pick: (s: SeriesResults) => number) => series.reduce((n, s) => n + pick(s), 0);
  const errorsByType: Record<string, number> = {};
  for (const s of series)
    for (const [type, n] of Object.entries(s.counters.errorsByType))
      errorsByType[type] = (errorsByType[type] ?? 0) + n;
  const invocations = sum((s) => s.counters.invocations);
  const attempts = sum((s) => s.counters.attempts);
  const coldStarts = sum((s) => s.counters.coldStarts);
  const errors = sum((s) => s.counters.errors);
  const client = (side: 'cold' | 'warm' | 'both') =>
    figures(
      series.flatMap((s) => {
        const h = s.histograms.clientLatencyUs;
        return (side === 'both' ? [h.cold, h.warm] : [h[side]]).filter((x) => x !== undefined);
      }),
    );
  const memory = series
    .flatMap((s) => [s.histograms.maxMemoryUsedMB.cold, s.histograms.maxMemoryUsedMB.warm])
    .map((h) => h?.summary.max ?? 0);
  const maxMemory = Math.max(0, ...memory);
  const seconds = point.durationMs / 1000;
  const cost = perMillionInvocations(series);
  return {
    id,
    pointIndex,
    point: point.label,
    functionName: first.key.functionName,
    memoryMB: first.key.memoryMB,
    sources: [...new Set(series.map((s) => s.key.source))],
    arrivals: sum((s) => s.counters.arrivals),
    attempts,
    invocations,
    errors,
    errorsByType,
    throttles: sum((s) => s.counters.throttles),
    coldStarts,
    coldStartRate: invocations > 0 ? coldStarts / invocations : undefined,
    errorRate: attempts > 0 ? errors / attempts : undefined,
    latency: client('both'),
    warm: client('warm'),
    cold: client('cold'),
    init: figures(series.flatMap((s) => (s.histograms.initDurationUs ? [s.histograms.initDurationUs] : []))),
    maxMemoryUsedMB: maxMemory > 0 ? maxMemory : undefined,
    throughput: seconds > 0 ? invocations / seconds : undefined,
    costPer1M: cost,
    approximated: seriesApproximated(series),
    series,
  };
}

type Encoded = NonNullable<SeriesResults['histograms']['initDurationUs']>;

/** Merged figures of some encoded histograms; undefined when they hold nothing. */
export function figures(parts: readonly Encoded[]): LatencyFigures | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) {
    const s = (parts[0] as Encoded).summary;
    return s.count > 0
      ? { count: s.count, p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max, mean: s.mean }
      : undefined;
  }
  return figuresOf(mergeHistograms(parts), Math.max(...parts.map((p) => p.summary.max)));
}

export function figuresOf(h: Histogram, exactMax?: number): LatencyFigures | undefined {
  if (h.totalCount === 0) return undefined;
  // Percentiles are bucket tops (up to 0.1% high); never show one above the exact maximum.
  const at = (p: number) => Math.min(h.getValueAtPercentile(p), exactMax ?? Number.POSITIVE_INFINITY);
  return {
    count: h.totalCount,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: exactMax ?? h.maxValue,
    mean: h.mean,
  };
}
