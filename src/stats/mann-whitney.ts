/**
 * The Mann-Whitney U test (Wilcoxon rank-sum) on two HDR histograms: does one distribution tend
 * to give larger values than the other? No assumption of normality — latency distributions are
 * skewed and multi-modal — and it works on the recorded buckets directly, without raw samples.
 *
 * Samples in the same bucket are ties (the histogram cannot order them): they get the midrank and
 * the variance gets the tie correction, so coarse buckets make the test more cautious, never less.
 * p is two-sided, from the normal approximation with continuity correction — accurate from about
 * 8 samples per side, which is why a sweep point needs at least that many to be judged.
 */
import type { Histogram } from 'hdr-histogram-js';
import { type Bins, binsOf } from './bins.js';
import { twoSidedP } from './normal.js';

export interface MannWhitneyResult {
  /** U of sample A: the number of (a, b) pairs with a > b, ties counting one half. */
  u: number;
  /** Standardised U (continuity- and tie-corrected); positive when A tends to be larger. */
  z: number;
  /** Two-sided p-value; 1 when either sample is empty or all values tie. */
  pValue: number;
  nA: number;
  nB: number;
  /**
   * Probability of superiority, U / (nA·nB): the chance that a random draw from A exceeds one
   * from B (ties count half). 0.5 means no tendency either way.
   */
  probabilityOfSuperiority: number;
  /** Rank-biserial correlation, 2·P(A > B) − 1 in [−1, 1]: the effect size reported with p. */
  rankBiserial: number;
}

/** Mann-Whitney U test of A against B, two-sided; see MannWhitneyResult for each figure. */
export function mannWhitneyU(a: Histogram, b: Histogram): MannWhitneyResult {
  return mannWhitneyBins(binsOf(a), binsOf(b));
}

/** The same test on already extracted bins (the sweep compares one fastest setting to many). */
export function mannWhitneyBins(a: Bins, b: Bins): MannWhitneyResult {
  const nA = a.total;
  const nB = b.total;
  if (nA === 0 || nB === 0) {
    return { u: 0, z: 0, pValue: 1, nA, nB, probabilityOfSuperiority: 0.5, rankBiserial: 0 };
  }
  const n = nA + nB;
  // Walk both ascending value lists together; each distinct value is one tie group.
  let i = 0;
  let j = 0;
  let ranked = 0; // samples ranked so far
  let rankSumA = 0;
  let tieTerm = 0; // Σ (t³ − t) over tie groups
  while (i < a.values.length || j < b.values.length) {
    const va = i < a.values.length ? (a.values[i] as number) : Number.POSITIVE_INFINITY;
    const vb = j < b.values.length ? (b.values[j] as number) : Number.POSITIVE_INFINITY;
    const value = Math.min(va, vb);
    const countA = va === value ? (a.counts[i++] as number) : 0;
    const countB = vb === value ? (b.counts[j++] as number) : 0;
    const t = countA + countB;
    // Ranks ranked+1 … ranked+t share their mean.
    const midrank = ranked + (t + 1) / 2;
    rankSumA += countA * midrank;
    tieTerm += t * t * t - t;
    ranked += t;
  }
  const u = rankSumA - (nA * (nA + 1)) / 2;
  const mean = (nA * nB) / 2;
  const variance = ((nA * nB) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const probabilityOfSuperiority = u / (nA * nB);
  const rankBiserial = 2 * probabilityOfSuperiority - 1;
  if (!(variance > 0)) return { u, z: 0, pValue: 1, nA, nB, probabilityOfSuperiority, rankBiserial };
  // Continuity correction: move U half a step towards the mean, never past it.
  const distance = Math.max(0, Math.abs(u - mean) - 0.5);
  const z = (Math.sign(u - mean) * distance) / Math.sqrt(variance);
  return { u, z, pValue: twoSidedP(z), nA, nB, probabilityOfSuperiority, rankBiserial };
}
