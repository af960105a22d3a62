/**
 * Baseline comparison: per function × memory setting (× sweep point) present in the baseline, the
 * change of each latency percentile, the cold-start and error rates and cost. A change is a
 * regression only when it is worse than its margin AND statistically significant — latency by the
 * Mann-Whitney U test and a seeded bootstrap interval of the percentile difference (src/stats),
 * rates by a two-proportion z-test — so noise on a shared machine does not fail a build.
 */
import type { Histogram } from 'hdr-histogram-js';
import { InputError } from '../core/errors.js';
import type { Results, SeriesResults } from '../metrics/results-schema.js';
import { engineMismatchWarnings } from '../report/engine.js';
import { type ReportRow, reportRows } from '../report/rows.js';
import { type Bins, binsOf } from '../stats/bins.js';
import { bootstrapBins } from '../stats/bootstrap.js';
import { histogramOf, MIN_SAMPLES_FOR_TEST } from '../stats/index.js';
import { type MannWhitneyResult, mannWhitneyBins } from '../stats/mann-whitney.js';
import { normalUpperTail } from '../stats/normal.js';
import type { Comparison, MetricComparison } from './compare-types.js';

/** One-sided significance level of every test. */
export const ALPHA = 0.01;

export const PERCENTILES = { p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 } as const;
type PercentileName = keyof typeof PERCENTILES;
const RATE_METRICS = ['coldStarts.rate', 'errors.rate'] as const;
const MARGIN_KEYS = [...Object.keys(PERCENTILES), ...RATE_METRICS, 'cost'] as const;

/** Allowed regression per metric: relative for latency and cost, absolute (fraction) for rates. */
export type Margins = Record<string, number>;

export const DEFAULT_MARGINS: Readonly<Margins> = {
  p50: 0.1,
  p90: 0.1,
  p99: 0.15,
  p999: 0.25,
  'coldStarts.rate': 0.02,
  'errors.rate': 0.005,
  cost: 0.05,
};

/** `p99=10%,coldStarts.rate=2pp` over the defaults; a bad item is an InputError naming it. */
export function parseMargins(text: string | undefined, flag = '--max-regression'): Margins {
  const margins: Margins = { ...DEFAULT_MARGINS };
  if (text === undefined || text.trim() === '') return margins;
  for (const item of text.split(',')) {
    const m = /^\s*([\w.]+)\s*=\s*(\d+(?:\.\d+)?)\s*(%|pp)\s*$/.exec(item);
    const key = m?.[1];
    if (!m || key === undefined) {
      throw new InputError(
        'BAD_MARGIN',
        `${flag}: expected metric=limit like p99=10% or errors.rate=1pp, got "${item.trim()}"`,
      );
    }
    if (!(MARGIN_KEYS as readonly string[]).includes(key)) {
      throw new InputError(
        'BAD_MARGIN',
        `${flag}: unknown metric "${key}"; expected one of ${MARGIN_KEYS.join(', ')}`,
      );
    }
    const isRate = key.endsWith('.rate');
    if (isRate !== (m[3] === 'pp')) {
      throw new InputError(
        'BAD_MARGIN',
        `${flag}: ${key} takes ${isRate ? 'percentage points, like 2pp' : 'a relative change in %, like 10%'}, got "${item.trim()}"`,
      );
    }
    margins[key] = Number(m[2]) / 100;
  }
  return margins;
}

export interface CompareOptions {
  margins?: Margins;
  baselineLabel?: string;
  currentLabel?: string;
  /** Bootstrap seed (default 1): the same files always give the same verdict. */
  seed?: number;
}

/** Compares `current` with `baseline`; see the module comment for what counts as a regression. */
export function compareResults(
  baseline: Results,
  current: Results,
  options: CompareOptions = {},
): Comparison {
  const margins = { ...DEFAULT_MARGINS, ...options.margins };
  const currentRows = new Map(reportRows(current).map((r) => [rowKey(r), r]));
  const checks: MetricComparison[] = [];
  for (const base of reportRows(baseline)) {
    const now = currentRows.get(rowKey(base));
    const where = { point: base.point, functionName: base.functionName, memoryMB: base.memoryMB };
    if (!now) {
      checks.push({
        ...where,
        metric: 'invocations',
        kind: 'rate',
        margin: 0,
        significant: false,
        regression: true,
        improvement: false,
        note: 'in the baseline but not in the current run',
      });
      continue;
    }
    const latency = compareLatency(
      clientLatency(now.series),
      clientLatency(base.series),
      margins,
      options.seed,
    );
    for (const check of latency) checks.push({ ...where, ...check });
    checks.push({
      ...where,
      ...rateCheck(
        'coldStarts.rate',
        base.coldStarts,
        base.invocations,
        now.coldStarts,
        now.invocations,
        margins,
      ),
    });
    checks.push({
      ...where,
      ...rateCheck('errors.rate', base.errors, base.attempts, now.errors, now.attempts, margins),
    });
    const cost = costCheck(base, now, margins.cost ?? 0);
    if (cost) checks.push({ ...where, ...cost });
  }
  const warnings = engineMismatchWarnings(baseline, current);
  return {
    baselineLabel: options.baselineLabel ?? 'baseline',
    currentLabel: options.currentLabel ?? 'current',
    checks,
    ...(warnings.length > 0 ? { warnings } : {}),
    passed: !checks.some((c) => c.regression),
  };
}

/** A check before it is placed (point, function, memory). */
export type Check = Omit<MetricComparison, 'point' | 'functionName' | 'memoryMB'>;

const rowKey = (r: ReportRow) => `${r.point}\u0000${r.functionName}\u0000${r.memoryMB}`;

function clientLatency(series: readonly SeriesResults[]) {
  return histogramOf(
    ...series.flatMap((s) => [s.histograms.clientLatencyUs.cold, s.histograms.clientLatencyUs.warm]),
  );
}

/** Both runs' latency as the statistics read it, and the U test between them (once per row). */
interface LatencyPair {
  a: Bins;
  b: Bins;
  test: MannWhitneyResult;
}

/**
 * The latency checks of one function × setting: each percentile of the current histogram against
 * the baseline's, with its margin. The U test is computed once; each percentile gets its own
 * bootstrap interval.
 */
export function compareLatency(
  current: Histogram,
  baseline: Histogram,
  margins: Margins = DEFAULT_MARGINS,
  seed = 1,
): Check[] {
  const a = binsOf(current);
  const b = binsOf(baseline);
  const pair: LatencyPair = { a, b, test: mannWhitneyBins(a, b) };
  return (Object.keys(PERCENTILES) as PercentileName[]).map((name) =>
    latencyCheck(pair, name, margins[name] ?? 0, seed),
  );
}

/** Checks one percentile of the current latency (`a`) against the baseline's (`b`). */
function latencyCheck(pair: LatencyPair, metric: PercentileName, margin: number, seed: number): Check {
  const { a, b, test } = pair;
  const common = { metric, kind: 'duration' as const, margin };
  if (a.total === 0 || b.total === 0) {
    return {
      ...common,
      significant: false,
      regression: false,
      improvement: false,
      note: 'no invocations on one side',
    };
  }
  const quantile = PERCENTILES[metric];
  // A two-sided interval at 1 − 2·ALPHA has the one-sided ALPHA we test at on each side.
  const diff = bootstrapBins(a, b, quantile, { seed, confidence: 1 - 2 * ALPHA });
  const baseline = diff.quantileB;
  const current = diff.quantileA;
  const change = baseline > 0 ? (current - baseline) / baseline : 0;
  // One-sided p of "current is slower" (or faster, for improvements) from the two-sided p.
  const p = test.pValue / 2;
  const enough = a.total >= MIN_SAMPLES_FOR_TEST && b.total >= MIN_SAMPLES_FOR_TEST;
  const worse = enough && test.z > 0 && p < ALPHA && diff.low > 0;
  const better = enough && test.z < 0 && p < ALPHA && diff.high < 0;
  const out: Check = {
    ...common,
    baseline,
    current,
    change,
    pValue: test.z > 0 ? p : 1 - p,
    significant: worse || better,
    regression: worse && change > margin,
    improvement: better && change < -margin,
  };
  if (baseline > 0) out.interval = [diff.low / baseline, diff.high / baseline];
  if (!enough) out.note = `too few samples to test (fewer than ${MIN_SAMPLES_FOR_TEST} on a side)`;
  return out;
}

/** Two-proportion z-test, one-sided: is the current rate higher than the baseline's? */
export function rateCheck(
  metric: (typeof RATE_METRICS)[number],
  baseHits: number,
  baseTotal: number,
  nowHits: number,
  nowTotal: number,
  margins: Margins,
): Check {
  const margin = margins[metric] ?? 0;
  const common = { metric, kind: 'rate' as const, margin };
  if (baseTotal === 0 || nowTotal === 0) {
    return {
      ...common,
      significant: false,
      regression: false,
      improvement: false,
      note: 'no calls on one side',
    };
  }
  const baseline = baseHits / baseTotal;
  const current = nowHits / nowTotal;
  const pooled = (baseHits + nowHits) / (baseTotal + nowTotal);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / baseTotal + 1 / nowTotal));
  const z = se > 0 ? (current - baseline) / se : 0;
  const pWorse = se > 0 ? normalUpperTail(z) : 1;
  const pBetter = se > 0 ? normalUpperTail(-z) : 1;
  const change = current - baseline;
  const worse = pWorse < ALPHA;
  const better = pBetter < ALPHA;
  return {
    ...common,
    baseline,
    current,
    change,
    pValue: change >= 0 ? pWorse : pBetter,
    significant: worse || better,
    regression: worse && change > margin,
    improvement: better && change < -margin,
  };
}

/**
 * Cost per 1M follows billed duration (and memory, the same on both sides of a row): its change is
 * significant when billed durations are.
 */
function costCheck(base: ReportRow, now: ReportRow, margin: number): Check | undefined {
  if (base.costPer1M === undefined || now.costPer1M === undefined) return undefined;
  const billed = (series: readonly SeriesResults[]) =>
    histogramOf(
      ...series.flatMap((s) => [s.histograms.billedDurationUs.cold, s.histograms.billedDurationUs.warm]),
    );
  const a = billed(now.series);
  const b = billed(base.series);
  const change = base.costPer1M > 0 ? (now.costPer1M - base.costPer1M) / base.costPer1M : 0;
  const common = {
    metric: 'cost',
    kind: 'usd' as const,
    margin,
    baseline: base.costPer1M,
    current: now.costPer1M,
    change,
  };
  if (a.totalCount === 0 || b.totalCount === 0)
    return { ...common, significant: false, regression: false, improvement: false };
  const test = mannWhitneyBins(binsOf(a), binsOf(b));
  const p = test.pValue / 2;
  const enough = test.nA >= MIN_SAMPLES_FOR_TEST && test.nB >= MIN_SAMPLES_FOR_TEST;
  const worse = enough && test.z > 0 && p < ALPHA;
  const better = enough && test.z < 0 && p < ALPHA;
  return {
    ...common,
    pValue: test.z > 0 ? p : 1 - p,
    significant: worse || better,
    regression: worse && change > margin,
    improvement: better && change < -margin,
  };
}
