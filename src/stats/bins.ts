/**
 * A histogram as the statistics read it: its distinct recorded values (each bucket's highest
 * equivalent value, as getValueAtPercentile reports them) in ascending order with their counts.
 */
import { type Histogram, JsHistogram } from 'hdr-histogram-js';
import { LambenchError } from '../core/errors.js';

export interface Bins {
  /** Distinct recorded values, ascending, in the histogram's unit. */
  values: Float64Array;
  /** How many samples fell in each value's bucket. */
  counts: Float64Array;
  /** Running total of counts up to and including each value. */
  cumulative: Float64Array;
  total: number;
}

/** The recorded values of a (pure-JS) HDR histogram with their counts, ascending. */
export function binsOf(histogram: Histogram): Bins {
  if (!(histogram instanceof JsHistogram)) {
    throw new LambenchError(
      'HISTOGRAM_KIND',
      'statistics need a pure-JS HdrHistogram (useWebAssembly: false)',
    );
  }
  const values: number[] = [];
  const counts: number[] = [];
  // Walking the counts array is cheaper than the library's iterator objects, and the order is
  // ascending by construction.
  for (let i = 0; i < histogram.countsArrayLength; i++) {
    const count = histogram.getCountAtIndex(i);
    if (count > 0) {
      values.push(histogram.highestEquivalentValue(histogram.valueFromIndex(i)));
      counts.push(count);
    }
  }
  const cumulative = new Float64Array(counts.length);
  let total = 0;
  counts.forEach((c, i) => {
    total += c;
    cumulative[i] = total;
  });
  return { values: Float64Array.from(values), counts: Float64Array.from(counts), cumulative, total };
}

/**
 * The k-th smallest sample (1-based) — the value getValueAtPercentile reports for the quantile
 * k/n. Binary search over the running totals.
 */
export function valueAtRank(bins: Bins, k: number): number {
  let lo = 0;
  let hi = bins.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bins.cumulative[mid] as number) >= k) hi = mid;
    else lo = mid + 1;
  }
  return bins.values[lo] as number;
}

/** The rank HdrHistogram uses for a quantile q in (0, 1]: ceil(q·n), at least 1. */
export function rankOfQuantile(quantile: number, total: number): number {
  return Math.min(total, Math.max(1, Math.ceil(quantile * total - 1e-9)));
}
