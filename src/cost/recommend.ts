/**
 * The sweep's recommendation (pure): which memory setting to choose, by strategy, within the
 * constraints, with the evidence that the difference to the fastest setting is real.
 *
 * - `cost`: the cheapest setting per million invocations (ties go to the faster).
 * - `speed`: the cheapest setting that is not significantly slower than the fastest — Mann-Whitney U
 *   on the warm duration histograms at `alpha` decides "slower". The fastest is the setting with the
 *   lowest chosen percentile, unless the test finds another significantly faster than it.
 * - `balanced`: the lowest weight·cost/maxCost + (1 − weight)·latency/maxLatency (as Power Tuning).
 */
import type {
  Percentile,
  Strategy,
  SweepComparison,
  SweepResults,
  SweepSetting,
} from '../metrics/sweep-schema.js';
import { binsOf } from '../stats/bins.js';
import { compareDistributions } from '../stats/compare.js';
import type { SettingData } from './sweep-settings.js';

/**
 * The sweep's significance level. Stricter than the usual 0.05 because every setting is compared
 * with the fastest: at 0.05 an equally fast setting is called slower 1 time in 20 per comparison.
 */
export const SWEEP_ALPHA = 0.01;

export interface RecommendOptions {
  strategy: Strategy;
  percentile: Percentile;
  /** Balanced: weight of cost against speed, in [0, 1]; default 0.5. */
  weight?: number;
  alpha?: number;
  maxLatency?: { percentile: Percentile; us: number };
  maxCostPerMillion?: number;
  /** Bootstrap seed; default 1. */
  seed?: number;
}

export type Recommendation = Pick<SweepResults, 'settings' | 'recommendation'>;

const QUANTILE: Record<Percentile, number> = { p50: 0.5, p90: 0.9, p99: 0.99 };

/** Verdicts, Pareto front and the recommendation for a sweep's settings (ascending memory). */
export function recommend(data: readonly SettingData[], options: RecommendOptions): Recommendation {
  const alpha = options.alpha ?? SWEEP_ALPHA;
  const pct = options.percentile;
  const latency = (s: SettingData) => s.setting.warm[pct];
  const cost = (s: SettingData) => s.setting.costs[0]?.perMillionUsd ?? 0;
  const violation = (s: SettingData): string | undefined => {
    const max = options.maxLatency;
    if (max && s.setting.warm[max.percentile] >= max.us)
      return `violates ${max.percentile} < ${formatMs(max.us)}`;
    if (options.maxCostPerMillion !== undefined && cost(s) > options.maxCostPerMillion)
      return `violates cost per 1M ≤ $${options.maxCostPerMillion}`;
    return undefined;
  };
  const usable = data.filter((s) => !s.setting.failed && s.warm.totalCount > 0);
  const candidates = usable.filter((s) => violation(s) === undefined);
  // The reference is the lowest percentile, unless the U test finds another setting significantly
  // faster overall; then that one (a percentile and a rank test can disagree on close settings).
  let fastest = minBy(candidates, latency, cost);
  let comparisons = new Map<SettingData, SweepComparison>();
  for (let round = 0; round < candidates.length && fastest; round++) {
    comparisons = compareAll(usable, fastest, QUANTILE[pct], alpha, options.seed ?? 1);
    const faster = candidates.filter((s) => comparisons.get(s)?.verdict === 'lower');
    if (faster.length === 0) break;
    fastest = minBy(faster, latency, cost);
  }
  const notSlower = (s: SettingData) =>
    s === fastest ||
    comparisons.get(s)?.verdict === 'indistinguishable' ||
    comparisons.get(s)?.verdict === 'lower';
  let chosen: SettingData | undefined;
  if (options.strategy === 'cost') chosen = minBy(candidates, cost, latency);
  else if (options.strategy === 'speed') chosen = minBy(candidates.filter(notSlower), cost, latency);
  else {
    const w = Math.min(1, Math.max(0, options.weight ?? 0.5));
    const maxCost = Math.max(...candidates.map(cost), Number.MIN_VALUE);
    const maxLatency = Math.max(...candidates.map(latency), Number.MIN_VALUE);
    chosen = minBy(candidates, (s) => (w * cost(s)) / maxCost + ((1 - w) * latency(s)) / maxLatency, latency);
  }
  const pareto = new Set(usable.filter((s) => !usable.some((o) => dominates(o, s, cost, latency))));
  const settings: SweepSetting[] = data.map((s) => {
    const c = comparisons.get(s);
    const v = violation(s);
    const out: SweepSetting = {
      ...s.setting,
      repeats: s.warmByRepeat.map((h) =>
        h.totalCount === 0 ? 0 : h.getValueAtPercentile(QUANTILE[pct] * 100),
      ),
      meetsConstraints: !s.setting.failed && v === undefined,
      pareto: pareto.has(s),
      verdict: verdictText(s, fastest, c, v, chosen),
    };
    if (c) out.comparison = c;
    if (v !== undefined && out.reason === undefined) out.reason = v;
    return out;
  });
  if (!chosen || !fastest) return { settings };
  return {
    settings,
    recommendation: {
      memoryMB: chosen.setting.memoryMB,
      summary: summaryLine(chosen, fastest, comparisons.get(chosen), options, cost(chosen), latency(chosen)),
      fastestMemoryMB: fastest.setting.memoryMB,
      perMillionUsd: cost(chosen),
      percentileUs: latency(chosen),
    },
  };
}

function compareAll(
  usable: readonly SettingData[],
  fastest: SettingData,
  quantile: number,
  alpha: number,
  seed: number,
): Map<SettingData, SweepComparison> {
  const bins = binsOf(fastest.warm);
  const out = new Map<SettingData, SweepComparison>();
  for (const s of usable) if (s !== fastest) out.set(s, comparison(s, fastest, bins, quantile, alpha, seed));
  return out;
}

function comparison(
  s: SettingData,
  fastest: SettingData,
  fastestBins: ReturnType<typeof binsOf>,
  quantile: number,
  alpha: number,
  seed: number,
): SweepComparison {
  const c = compareDistributions(binsOf(s.warm), fastestBins, { alpha, quantile, seed, iterations: 2000 });
  const out: SweepComparison = {
    againstMemoryMB: fastest.setting.memoryMB,
    verdict: c.verdict,
    pValue: c.mannWhitney.pValue,
    rankBiserial: c.mannWhitney.rankBiserial,
    samples: c.mannWhitney.nA,
    againstSamples: c.mannWhitney.nB,
  };
  if (c.quantileDiff) {
    out.diffUs = c.quantileDiff.estimate;
    out.diffLowUs = c.quantileDiff.low;
    out.diffHighUs = c.quantileDiff.high;
    out.confidence = c.quantileDiff.confidence;
  }
  return out;
}

function verdictText(
  s: SettingData,
  fastest: SettingData | undefined,
  c: SweepComparison | undefined,
  violation: string | undefined,
  chosen: SettingData | undefined,
): string {
  if (s.setting.failed) return `failed: ${s.setting.reason ?? 'unknown'}`;
  if (s.warm.totalCount === 0) return 'no warm samples';
  const mark = s === chosen ? ' ← recommended' : '';
  if (violation !== undefined) return `${violation}${mark}`;
  if (s === fastest) return `fastest${mark}`;
  if (!c) return `not compared${mark}`;
  switch (c.verdict) {
    case 'higher':
      return `slower (p ${formatP(c.pValue)})${mark}`;
    case 'lower':
      return `faster (p ${formatP(c.pValue)})${mark}`;
    case 'indistinguishable':
      return `≈ fastest (p ${formatP(c.pValue)})${mark}`;
    default:
      return `too few samples${mark}`;
  }
}

function summaryLine(
  chosen: SettingData,
  fastest: SettingData,
  c: SweepComparison | undefined,
  options: RecommendOptions,
  perMillion: number,
  latencyUs: number,
): string {
  const strategy =
    options.strategy === 'balanced'
      ? `balanced (weight ${options.weight ?? 0.5})`
      : options.strategy === 'speed'
        ? `speed (${options.percentile})`
        : 'cost';
  const head = `Recommended: ${chosen.setting.memoryMB} MB (${strategy}) — ${options.percentile} ${formatMs(latencyUs)}, $${perMillion.toFixed(4)} per 1M invocations`;
  if (chosen === fastest) return `${head}; the fastest setting (${chosen.warm.totalCount} warm samples).`;
  if (!c) return `${head}.`;
  const diff =
    c.diffUs !== undefined && c.diffLowUs !== undefined && c.diffHighUs !== undefined
      ? `, ${options.percentile} ${signedMs(c.diffUs)} [${signedMs(c.diffLowUs)}, ${signedMs(c.diffHighUs)}] at ${Math.round((c.confidence ?? 0.95) * 100)}%`
      : '';
  const relation =
    c.verdict === 'higher'
      ? 'slower than'
      : c.verdict === 'indistinguishable'
        ? 'not distinguishable from'
        : c.verdict === 'lower'
          ? 'faster than'
          : 'not compared with';
  return `${head}; ${relation} the fastest ${fastest.setting.memoryMB} MB (Mann-Whitney p ${formatP(c.pValue)}, rank-biserial ${c.rankBiserial.toFixed(2)}${diff}; ${c.samples} vs ${c.againstSamples} warm samples).`;
}

function dominates(
  o: SettingData,
  s: SettingData,
  cost: (s: SettingData) => number,
  latency: (s: SettingData) => number,
): boolean {
  return cost(o) <= cost(s) && latency(o) <= latency(s) && (cost(o) < cost(s) || latency(o) < latency(s));
}

function minBy<T>(items: readonly T[], key: (t: T) => number, tieBreak: (t: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (
      best === undefined ||
      key(item) < key(best) ||
      (key(item) === key(best) && tieBreak(item) < tieBreak(best))
    )
      best = item;
  }
  return best;
}

export function formatMs(us: number): string {
  const ms = us / 1000;
  return ms >= 100 ? `${Math.round(ms)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

function signedMs(us: number): string {
  return `${us >= 0 ? '+' : '−'}${formatMs(Math.abs(us))}`;
}

export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return `= ${p.toFixed(3)}`;
}
