/**
 * One verdict on two latency distributions, with its evidence: the Mann-Whitney U test decides
 * whether A is really higher or lower than B; the bootstrap interval says by how much at the
 * quantile the user cares about. Used by the sweep's recommendation and by `lambench compare`.
 */
import type { Histogram } from 'hdr-histogram-js';
import { type Bins, binsOf } from './bins.js';
import { bootstrapBins, type QuantileDiff } from './bootstrap.js';
import { type MannWhitneyResult, mannWhitneyBins } from './mann-whitney.js';

/** Below this many samples on either side the normal approximation is not trusted. */
export const MIN_SAMPLES_FOR_TEST = 8;

export type Verdict = 'higher' | 'lower' | 'indistinguishable' | 'too-few-samples';

export interface CompareOptions {
  /** Significance level of the two-sided test; default 0.05. */
  alpha?: number;
  /** Quantile whose difference gets a bootstrap interval, in (0, 1]; default 0.5. */
  quantile?: number;
  /** Bootstrap replicates; default 2,000. */
  iterations?: number;
  /** Bootstrap seed; default 1. */
  seed?: number;
}

export interface Comparison {
  /** A relative to B: `higher` (A tends to larger values, i.e. slower for latency), `lower`, … */
  verdict: Verdict;
  alpha: number;
  mannWhitney: MannWhitneyResult;
  /** quantile(A) − quantile(B) with a (1 − alpha) interval; absent when a side is empty. */
  quantileDiff?: QuantileDiff;
}

/** Compares A against B: verdict from the U test at `alpha`, evidence from U and the bootstrap. */
export function compareDistributions(
  a: Histogram | Bins,
  b: Histogram | Bins,
  options: CompareOptions = {},
): Comparison {
  const binsA = 'cumulative' in a ? a : binsOf(a);
  const binsB = 'cumulative' in b ? b : binsOf(b);
  const alpha = options.alpha ?? 0.05;
  const mannWhitney = mannWhitneyBins(binsA, binsB);
  const comparison: Comparison = { verdict: verdictOf(mannWhitney, alpha), alpha, mannWhitney };
  if (binsA.total > 0 && binsB.total > 0) {
    comparison.quantileDiff = bootstrapBins(binsA, binsB, options.quantile ?? 0.5, {
      iterations: options.iterations ?? 2000,
      seed: options.seed ?? 1,
      confidence: 1 - alpha,
    });
  }
  return comparison;
}

function verdictOf(test: MannWhitneyResult, alpha: number): Verdict {
  if (test.nA < MIN_SAMPLES_FOR_TEST || test.nB < MIN_SAMPLES_FOR_TEST) return 'too-few-samples';
  if (test.pValue >= alpha) return 'indistinguishable';
  return test.z > 0 ? 'higher' : 'lower';
}
