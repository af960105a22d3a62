/**
 * A bootstrap confidence interval for the difference of one quantile (p50, p99, …) between two
 * HDR histograms, seeded so the same inputs always give the same interval.
 *
 * Resampling n values from a histogram and taking their k-th smallest is the same as drawing
 * U(k) ~ Beta(k, n + 1 − k) (the k-th order statistic of n uniforms) and reading the histogram's
 * inverse CDF at U(k). So each bootstrap replicate costs two gamma draws and one binary search,
 * whatever n is, instead of n draws.
 */
import type { Histogram } from 'hdr-histogram-js';
import { type Random, seededRandom } from '../load/prng.js';
import { type Bins, binsOf, rankOfQuantile, valueAtRank } from './bins.js';

export interface BootstrapOptions {
  /** Replicates; default 2,000. */
  iterations?: number;
  /** PRNG seed; default 1. */
  seed?: number;
  /** Two-sided confidence level of the percentile interval; default 0.95. */
  confidence?: number;
}

export interface QuantileDiff {
  /** The quantile compared, in (0, 1]: 0.99 for p99. */
  quantile: number;
  /** Quantile of A and of B as getValueAtPercentile reports them, in the histograms' unit. */
  quantileA: number;
  quantileB: number;
  /** quantileA − quantileB. */
  estimate: number;
  /** Percentile-bootstrap interval for the difference at `confidence`. */
  low: number;
  high: number;
  confidence: number;
  iterations: number;
}

/** Bootstrap interval for quantile(A) − quantile(B); both histograms must hold samples. */
export function bootstrapQuantileDiff(
  a: Histogram,
  b: Histogram,
  quantile: number,
  options: BootstrapOptions = {},
): QuantileDiff {
  return bootstrapBins(binsOf(a), binsOf(b), quantile, options);
}

/** The same on already extracted bins. */
export function bootstrapBins(
  a: Bins,
  b: Bins,
  quantile: number,
  options: BootstrapOptions = {},
): QuantileDiff {
  if (!(quantile > 0 && quantile <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${quantile}`);
  if (a.total === 0 || b.total === 0) throw new RangeError('bootstrap needs samples in both histograms');
  const iterations = options.iterations ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const random = seededRandom(options.seed ?? 1);
  const quantileA = valueAtRank(a, rankOfQuantile(quantile, a.total));
  const quantileB = valueAtRank(b, rankOfQuantile(quantile, b.total));
  const diffs = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    diffs[i] = resampledQuantile(a, quantile, random) - resampledQuantile(b, quantile, random);
  }
  diffs.sort();
  const tail = (1 - confidence) / 2;
  const low = diffs[Math.min(iterations - 1, Math.floor(tail * iterations))] as number;
  const high = diffs[Math.max(0, Math.ceil((1 - tail) * iterations) - 1)] as number;
  return {
    quantile,
    quantileA,
    quantileB,
    estimate: quantileA - quantileB,
    low,
    high,
    confidence,
    iterations,
  };
}

/** The quantile of one bootstrap resample of `bins`, drawn through its order statistic. */
function resampledQuantile(bins: Bins, quantile: number, random: Random): number {
  const n = bins.total;
  const k = rankOfQuantile(quantile, n);
  const x = gamma(k, random);
  const u = x / (x + gamma(n + 1 - k, random));
  // The empirical inverse CDF at u: the value whose running total first reaches u·n.
  return valueAtRank(bins, Math.min(n, Math.max(1, Math.ceil(u * n))));
}

/** A Gamma(shape, 1) draw for shape ≥ 1 (Marsaglia and Tsang, 2000). */
function gamma(shape: number, random: Random): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(1 - u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A standard normal draw (Box-Muller; one of the pair is enough here). */
function normal(random: Random): number {
  // 1 − random() is in (0, 1], so the log is finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
