/**
 * A sweep's points grouped back into settings (pure): every slice, repeat and cold-start point of
 * one memory setting merged into the figures the sweep table prints and the recommendation uses.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { PointResults, Results, SeriesResults } from '../metrics/results-schema.js';
import type { SweepCost, SweepSetting } from '../metrics/sweep-schema.js';
import { histogramOf } from '../stats/decode.js';
import type { Architecture, PriceTable } from './prices.js';
import { histogramCost } from './series-cost.js';

/** One setting's figures plus the merged histograms the statistics need. */
export interface SettingData {
  setting: Omit<SweepSetting, 'comparison' | 'meetsConstraints' | 'pareto' | 'verdict'>;
  /** Warm function duration, µs, all load points merged. */
  warm: Histogram;
  /** Per repeat (1-based order), the warm duration histogram. */
  warmByRepeat: Histogram[];
}

export interface SettingOptions {
  functionName: string;
  architectures: readonly Architecture[];
  prices: PriceTable;
  /** Above this share of failed invocations a setting is marked failed. */
  maxErrorRate: number;
}

/** The swept function: the one whose memory differs between points (or the only one). */
export function sweptFunction(results: Results): string | undefined {
  const values = new Map<string, Set<number>>();
  for (const point of results.points) {
    for (const series of point.series) {
      const set = values.get(series.key.functionName) ?? new Set<number>();
      set.add(series.key.memoryMB);
      values.set(series.key.functionName, set);
    }
  }
  const swept = [...values].filter(([, v]) => v.size > 1).map(([fn]) => fn);
  return swept[0] ?? [...values.keys()][0];
}

/** Groups a run's points by the swept function's memory, in ascending memory order. */
export function settingsOf(results: Results, options: SettingOptions): SettingData[] {
  const byMemory = new Map<number, PointResults[]>();
  for (const point of results.points) {
    const memory = memoryOf(point, options.functionName);
    if (memory === undefined) continue;
    byMemory.set(memory, [...(byMemory.get(memory) ?? []), point]);
  }
  return [...byMemory.entries()]
    .sort(([a], [b]) => a - b)
    .map(([memoryMB, points]) => setting(memoryMB, points, options));
}

function memoryOf(point: PointResults, fn: string): number | undefined {
  const parameter = point.parameters[`${fn}.memoryMB`];
  if (typeof parameter === 'number') return parameter;
  return point.series.find((s) => s.key.functionName === fn)?.key.memoryMB;
}

function isColdStartPoint(point: PointResults): boolean {
  return point.parameters.phase === 'cold-starts';
}

function setting(memoryMB: number, points: PointResults[], options: SettingOptions): SettingData {
  const fn = options.functionName;
  const seriesOf = (p: PointResults) => p.series.filter((s) => s.key.functionName === fn);
  const load = points.filter((p) => !isColdStartPoint(p)).flatMap(seriesOf);
  const forced = points.filter(isColdStartPoint).flatMap(seriesOf);
  const all = [...load, ...forced];
  const warm = histogramOf(...load.map((s) => s.histograms.durationUs.warm));
  const sum = (list: SeriesResults[], pick: (s: SeriesResults) => number) =>
    list.reduce((n, s) => n + pick(s), 0);
  const invocations = sum(load, (s) => s.counters.invocations);
  const coldStarts = sum(load, (s) => s.counters.coldStarts);
  const errorsByType: Record<string, number> = {};
  for (const s of all) {
    for (const [type, n] of Object.entries(s.counters.errorsByType))
      errorsByType[type] = (errorsByType[type] ?? 0) + n;
  }
  const errors = sum(all, (s) => s.counters.errors);
  const allInvocations = sum(all, (s) => s.counters.invocations);
  const billed = histogramOf(
    ...load.flatMap((s) => [s.histograms.billedDurationUs.cold, s.histograms.billedDurationUs.warm]),
  );
  const init = histogramOf(...load.map((s) => s.histograms.initDurationUs));
  const costs: SweepCost[] = options.architectures.map((architecture) => {
    const c = histogramCost(
      { memoryMB, invocations, billedUs: billed, initUs: init },
      { architecture, prices: options.prices },
    );
    return {
      architecture,
      totalUsd: c.totalUsd,
      perInvocationUsd: c.perInvocationUsd,
      perMillionUsd: c.perMillionInvocationsUsd,
      computeUsd: c.computeUsd,
      initUsd: c.initUsd,
      requestUsd: c.requestUsd,
    };
  });
  const coldLatency = histogramOf(...all.map((s) => s.histograms.clientLatencyUs.cold));
  const initAll = histogramOf(...all.map((s) => s.histograms.initDurationUs));
  const maxMemoryUsedMB = Math.max(
    0,
    ...all.flatMap((s) => [
      s.histograms.maxMemoryUsedMB.cold?.summary.max ?? 0,
      s.histograms.maxMemoryUsedMB.warm?.summary.max ?? 0,
    ]),
  );
  const repeats = new Map<number, SeriesResults[]>();
  for (const point of points.filter((p) => !isColdStartPoint(p))) {
    const r = typeof point.parameters.repeat === 'number' ? point.parameters.repeat : 1;
    repeats.set(r, [...(repeats.get(r) ?? []), ...seriesOf(point)]);
  }
  const warmByRepeat = [...repeats.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, list]) => histogramOf(...list.map((s) => s.histograms.durationUs.warm)));
  const stillRunning = sum(all, (s) => s.ledger.buckets['in-flight'] ?? 0);
  const failure = failureOf(points, {
    invocations: allInvocations,
    stillRunning,
    errors,
    errorsByType,
    maxErrorRate: options.maxErrorRate,
  });
  const data: SettingData['setting'] = {
    functionName: fn,
    memoryMB,
    points: points.map((p) => p.label),
    failed: failure !== undefined,
    invocations,
    errors,
    errorsByType,
    warm: {
      count: warm.totalCount,
      p50: at(warm, 50),
      p90: at(warm, 90),
      p99: at(warm, 99),
    },
    coldRate: invocations > 0 ? coldStarts / invocations : 0,
    coldStarts,
    forcedColdStarts: sum(forced, (s) => s.counters.coldStarts),
    maxMemoryUsedMB,
    costs,
    repeats: [],
  };
  if (failure !== undefined) data.reason = failure;
  if (coldLatency.totalCount > 0) data.coldLatencyP50Us = at(coldLatency, 50);
  if (initAll.totalCount > 0) data.initP50Us = at(initAll, 50);
  return { setting: data, warm, warmByRepeat };
}

function at(h: Histogram, percentile: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(percentile);
}

interface Outcomes {
  invocations: number;
  /** Arrivals whose invocation was still running when its point's grace ran out. */
  stillRunning: number;
  errors: number;
  errorsByType: Record<string, number>;
  maxErrorRate: number;
}

/**
 * Why a setting failed: the target refused it, nothing finished (never reached, or every call
 * outlasted its point: a slow setting must not read as one the function never saw), or too many
 * invocations failed.
 */
function failureOf(points: PointResults[], outcomes: Outcomes): string | undefined {
  const { invocations, stillRunning, errors, errorsByType, maxErrorRate } = outcomes;
  const refused = points.find((p) => p.failure !== undefined)?.failure;
  if (refused !== undefined) return refused;
  if (invocations === 0 && stillRunning > 0)
    return `no invocation finished: ${stillRunning} still running when the grace ran out (raise run.grace)`;
  if (invocations === 0) return 'no invocation reached the function';
  if (errors / invocations <= maxErrorRate) return undefined;
  const [type, n] = Object.entries(errorsByType).sort(([, a], [, b]) => b - a)[0] ?? ['errors', errors];
  return `${type} in ${n} of ${invocations} invocations`;
}
