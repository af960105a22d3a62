/**
 * The report's charts as plain data: every figure is computed here, in Node, from results.json,
 * so the page's script only hands arrays to uPlot. One ChartSpec per canvas.
 */

import { mergeHistograms } from '../../metrics/histogram.js';
import type { Results, SeriesResults } from '../../metrics/results-schema.js';
import { seriesApproximated } from '../engine.js';
import type { ReportRow } from '../rows.js';

export type AxisUnit = 'ms' | 'count' | 'rate' | 'mb' | 'usd' | 'pct' | 'percentile' | 's' | 'mem';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** Which y axis: 0 left, 1 right. */
  axis: 0 | 1;
  style: 'line' | 'points' | 'step';
  dash?: boolean;
  color: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One line under the title saying how to read it. */
  note?: string;
  x: number[];
  xUnit: AxisUnit;
  xLabel: string;
  yUnits: [AxisUnit, AxisUnit?];
  yLabels: [string, string?];
  logY?: boolean;
  series: ChartSeries[];
}

const PALETTE = [
  '#2f7ed8',
  '#e4572e',
  '#17a398',
  '#f3a712',
  '#8e44ad',
  '#c0392b',
  '#2c3e50',
  '#7f8c2b',
  '#d35400',
  '#16a085',
];
export const colorAt = (i: number): string => PALETTE[i % PALETTE.length] ?? '#2f7ed8';

/** x of the HdrHistogram percentile plot: 0 → 0%, 1 → 90%, 2 → 99%, 3 → 99.9% … */
export function percentileX(percentile: number): number {
  return -Math.log10(1 - percentile / 100);
}
export function xToPercentile(x: number): number {
  return 100 * (1 - 10 ** -x);
}

type Encoded = NonNullable<SeriesResults['histograms']['initDurationUs']>;

/** A labelled row of a results file for the distribution charts. */
export interface DistributionInput {
  label: string;
  series: readonly SeriesResults[];
  /** A baseline's line: dashed, in the colour of the row it is compared with. */
  dash?: boolean;
  colorIndex: number;
}

/**
 * Latency by percentile on the log percentile axis, one line per row, for cold or warm
 * invocations; undefined when no row has values on that side.
 */
export function percentileChart(
  id: string,
  side: 'cold' | 'warm',
  inputs: readonly DistributionInput[],
): ChartSpec | undefined {
  const histograms = inputs.map((input) => {
    const parts = input.series.flatMap((s) => {
      const h = s.histograms.clientLatencyUs[side];
      return h ? [h] : [];
    }) as Encoded[];
    return parts.length > 0 ? mergeHistograms(parts) : undefined;
  });
  const maxCount = Math.max(0, ...histograms.map((h) => h?.totalCount ?? 0));
  if (maxCount === 0) return undefined;
  // Past 1 − 1/n every percentile is the maximum: stop there (at least to 90%, at most 99.999%).
  const top = Math.min(5, Math.max(1, Math.ceil(Math.log10(maxCount) * 4) / 4));
  const x: number[] = [];
  for (let i = 0; i <= top * 20 + 1e-9; i++) x.push(Math.round(i * 5) / 100);
  const series: ChartSeries[] = [];
  histograms.forEach((h, i) => {
    const input = inputs[i] as DistributionInput;
    if (!h || h.totalCount === 0) return;
    series.push({
      label: input.label,
      values: x.map((v) => h.getValueAtPercentile(Math.min(100, xToPercentile(v))) / 1000),
      axis: 0,
      style: 'line',
      color: colorAt(input.colorIndex),
      ...(input.dash ? { dash: true } : {}),
    });
  });
  return {
    id,
    title: side === 'warm' ? 'Warm latency by percentile' : 'Cold-start latency by percentile',
    note: `Client latency (from the intended start) at each percentile; the axis stretches the tail like HdrHistogram plots.${inputs.some((i) => seriesApproximated(i.series)) ? ' ≈ Curves of an Artillery run are rebuilt from its summaries: between min, p50, p75, p90, p95, p99, p99.9 and max they are interpolated, not measured.' : ''}`,
    x,
    xUnit: 'percentile',
    xLabel: 'percentile',
    yUnits: ['ms'],
    yLabels: ['latency (ms)'],
    logY: true,
    series,
  };
}

/** Per-second latency, throughput, cold starts and errors of one row. */
export function timeChart(id: string, row: ReportRow, title: string): ChartSpec | undefined {
  const bySecond = mergeSeconds(row.series);
  if (bySecond.size === 0) return undefined;
  const last = Math.max(...bySecond.keys());
  const x = Array.from({ length: last + 1 }, (_, i) => i);
  const at = (pick: (r: SecondFigures) => number | null) =>
    x.map((s) => {
      const r = bySecond.get(s);
      return r ? pick(r) : null;
    });
  const zeroAsNull = (v: number | null) => (v === 0 ? null : v);
  const delayed = [...bySecond.values()].some((r) => r.harnessDelayed);
  const late = [...bySecond.values()].some((r) => r.late > 0);
  const extra: ChartSeries[] = [];
  if (late)
    extra.push({
      label: 'fired > 10 ms late',
      values: at((r) => zeroAsNull(r.late)),
      axis: 1,
      style: 'points',
      color: '#8e44ad',
    });
  if (delayed)
    extra.push({
      label: 'harness delayed',
      values: at((r) => (r.harnessDelayed ? 0 : null)),
      axis: 1,
      style: 'points',
      color: '#7f8c8d',
    });
  return {
    id,
    title,
    note: `p50 and p99 of calls that ended in each second (left axis); invocations per second, cold starts and errors (right axis).${late ? ' Purple: arrivals the harness fired more than 10 ms after their time, in the second they fired (their latency still runs from the intended time).' : ''}${delayed ? ' Grey marks at the bottom: seconds in which the harness fell behind (their latencies may include harness delay).' : ''}`,
    x,
    xUnit: 's',
    xLabel: 'seconds since the point started',
    yUnits: ['ms', 'count'],
    yLabels: ['latency (ms)', 'per second'],
    series: [
      {
        label: 'p50',
        values: at((r) => (r.p50Us === null ? null : r.p50Us / 1000)),
        axis: 0,
        style: 'line',
        color: colorAt(0),
      },
      {
        label: 'p99',
        values: at((r) => (r.p99Us === null ? null : r.p99Us / 1000)),
        axis: 0,
        style: 'line',
        color: colorAt(1),
      },
      {
        label: 'invocations/s',
        values: at((r) => r.invocations),
        axis: 1,
        style: 'step',
        color: colorAt(2),
        dash: true,
      },
      {
        label: 'cold starts',
        values: at((r) => zeroAsNull(r.coldStarts)),
        axis: 1,
        style: 'points',
        color: colorAt(3),
      },
      {
        label: 'errors',
        values: at((r) => zeroAsNull(r.errors)),
        axis: 1,
        style: 'points',
        color: colorAt(5),
      },
      ...extra,
    ],
  };
}

/** Mean invocations in flight per second, one line per row of a point. */
export function concurrencyChart(
  id: string,
  rows: readonly ReportRow[],
  title: string,
): ChartSpec | undefined {
  const perRow = rows.map((row) => mergeSeconds(row.series));
  const last = Math.max(-1, ...perRow.flatMap((m) => [...m.keys()]));
  if (last < 0) return undefined;
  const x = Array.from({ length: last + 1 }, (_, i) => i);
  const estimated = perRow.some((m) => [...m.values()].some((r) => r.concurrency === undefined));
  return {
    id,
    title,
    note: estimated
      ? 'Estimated from invocations per second × p50 latency (this results file has no measured concurrency).'
      : 'Time-weighted mean number of invocations in the function during each second.',
    x,
    xUnit: 's',
    xLabel: 'seconds since the point started',
    yUnits: ['count'],
    yLabels: ['in flight'],
    series: rows.map((row, i) => ({
      label: `${row.functionName} ${row.memoryMB} MB`,
      values: x.map((s) => {
        const r = perRow[i]?.get(s);
        if (!r) return 0;
        return r.concurrency ?? (r.p50Us === null ? 0 : (r.invocations * r.p50Us) / 1e6);
      }),
      axis: 0 as const,
      style: 'step' as const,
      color: colorAt(i),
    })),
  };
}

interface SecondFigures {
  invocations: number;
  coldStarts: number;
  errors: number;
  p50Us: number | null;
  p99Us: number | null;
  concurrency: number | undefined;
  /** The harness fell behind in this second (results from a harness verdict mark it). */
  harnessDelayed: boolean;
  /** Arrivals fired more than 10 ms late in this second. */
  late: number;
}

/** Several sources' rows of one second added up; p50 weighted by invocations, p99 the highest. */
function mergeSeconds(series: readonly SeriesResults[]): Map<number, SecondFigures> {
  const out = new Map<number, SecondFigures & { weighted: number }>();
  for (const s of series) {
    for (const row of s.perSecond) {
      const f = out.get(row.second) ?? {
        invocations: 0,
        coldStarts: 0,
        errors: 0,
        p50Us: null,
        p99Us: null,
        concurrency: undefined,
        harnessDelayed: false,
        late: 0,
        weighted: 0,
      };
      if (row.harnessDelayed) f.harnessDelayed = true;
      f.late += row.late ?? 0;
      f.invocations += row.invocations;
      f.coldStarts += row.coldStarts;
      f.errors += row.errors;
      if (row.p50Us !== null) {
        f.weighted += row.p50Us * Math.max(1, row.invocations);
        f.p50Us = f.weighted / Math.max(1, f.invocations);
      }
      if (row.p99Us !== null) f.p99Us = Math.max(f.p99Us ?? 0, row.p99Us);
      if (row.concurrency !== undefined) f.concurrency = (f.concurrency ?? 0) + row.concurrency;
      out.set(row.second, f);
    }
  }
  return out;
}

/** Latency percentiles against memory across a sweep, with the p50–p99 spread and cost. */
export function sweepCharts(rows: readonly ReportRow[]): ChartSpec[] {
  const byFunction = new Map<string, ReportRow[]>();
  for (const row of rows) {
    const list = byFunction.get(row.functionName) ?? [];
    list.push(row);
    byFunction.set(row.functionName, list);
  }
  const charts: ChartSpec[] = [];
  let n = 0;
  for (const [fn, list] of byFunction) {
    const memories = [...new Set(list.map((r) => r.memoryMB))].sort((a, b) => a - b);
    if (memories.length < 2) continue;
    const rowAt = (mb: number) => list.find((r) => r.memoryMB === mb);
    const pick = (f: (r: ReportRow) => number | undefined) =>
      memories.map((mb) => {
        const r = rowAt(mb);
        const v = r ? f(r) : undefined;
        return v === undefined ? null : v;
      });
    const hasCost = list.some((r) => r.costPer1M !== undefined);
    const series: ChartSeries[] = [
      {
        label: 'p50',
        values: pick((r) => r.latency && r.latency.p50 / 1000),
        axis: 0,
        style: 'line',
        color: colorAt(0),
      },
      {
        label: 'p90',
        values: pick((r) => r.latency && r.latency.p90 / 1000),
        axis: 0,
        style: 'line',
        color: colorAt(2),
        dash: true,
      },
      {
        label: 'p99',
        values: pick((r) => r.latency && r.latency.p99 / 1000),
        axis: 0,
        style: 'line',
        color: colorAt(1),
      },
      {
        label: 'warm p50',
        values: pick((r) => r.warm && r.warm.p50 / 1000),
        axis: 0,
        style: 'points',
        color: colorAt(4),
      },
    ];
    if (hasCost)
      series.push({
        label: 'cost per 1M ($)',
        values: pick((r) => r.costPer1M),
        axis: 1,
        style: 'line',
        color: colorAt(3),
      });
    charts.push({
      id: `sweep-${n++}`,
      title: `${fn}: latency${hasCost ? ' and cost' : ''} by memory`,
      note:
        'Each memory setting of the sweep: client latency percentiles (the band between p50 and p99 is the spread)' +
        (hasCost ? ', and cost per 1M invocations on the right.' : '.'),
      x: memories,
      xUnit: 'mem',
      xLabel: 'memory (MB)',
      yUnits: hasCost ? ['ms', 'usd'] : ['ms'],
      yLabels: hasCost ? ['latency (ms)', 'cost per 1M ($)'] : ['latency (ms)'],
      logY: false,
      series,
    });
  }
  return charts;
}

/** The harness's own health over the run: event-loop delay and CPU. */
export function harnessChart(results: Results): ChartSpec | undefined {
  const samples = results.run.harness.samples;
  if (samples.length < 2) return undefined;
  const start = (samples[0]?.atEpochMs ?? 0) - (samples[0]?.intervalMs ?? 0);
  return {
    id: 'harness',
    title: 'Harness health',
    note: 'The load generator itself: event-loop delay (left) and CPU, % of one core (right). Saturated above 10 ms p99 or 90% CPU.',
    x: samples.map((s) => Math.round((s.atEpochMs - start) / 100) / 10),
    xUnit: 's',
    xLabel: 'seconds since the run started',
    yUnits: ['ms', 'pct'],
    yLabels: ['loop delay (ms)', 'CPU %'],
    series: [
      {
        label: 'loop delay p99',
        values: samples.map((s) => s.loopDelayP99Ms),
        axis: 0,
        style: 'line',
        color: colorAt(1),
      },
      {
        label: 'loop delay max',
        values: samples.map((s) => s.loopDelayMaxMs),
        axis: 0,
        style: 'line',
        color: colorAt(5),
        dash: true,
      },
      { label: 'CPU %', values: samples.map((s) => s.cpuPercent), axis: 1, style: 'line', color: colorAt(2) },
    ],
  };
}
