/** The outcome of comparing a run with a baseline: one check per function × setting × metric. */

export type ComparedKind = 'duration' | 'rate' | 'usd';

export interface MetricComparison {
  /** Sweep point label ("" without a sweep), function and memory: how rows are matched. */
  point: string;
  functionName: string;
  memoryMB: number;
  /** `p50`, `p90`, `p99`, `p999`, `coldStarts.rate`, `errors.rate`, `cost`. */
  metric: string;
  kind: ComparedKind;
  /** In the base unit: µs, a fraction, USD. Absent when that run lacks the figure. */
  baseline?: number;
  current?: number;
  /** Relative change (0.1 = 10% more) for durations and cost; percentage points/100 for rates. */
  change?: number;
  /** The allowed regression, in the same terms as `change`. */
  margin: number;
  /** p-value of the one-sided test that the current run is worse. */
  pValue?: number;
  /** Confidence interval of the change (same terms as `change`), when computed. */
  interval?: [number, number];
  significant: boolean;
  /** Worse by more than the margin, and significant: fails the comparison. */
  regression: boolean;
  /** Better by more than the margin, and significant. */
  improvement: boolean;
  /** Why the check could not be made, or what else to know. */
  note?: string;
}

export interface Comparison {
  baselineLabel: string;
  currentLabel: string;
  checks: MetricComparison[];
  /**
   * What makes the runs less comparable than their figures suggest: different load engines, or
   * histograms rebuilt from Artillery summaries on one side. Absent when there is nothing to say.
   */
  warnings?: string[];
  /** No regression (and no function of the baseline missing from the current run). */
  passed: boolean;
}
