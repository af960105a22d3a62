/**
 * The metric namespace thresholds and comparisons speak: every name a threshold may use, what kind
 * of value it is (which decides the units its limit takes) and what it reads from results.json.
 * Documented in docs/thresholds.md; keep the two in step.
 */

/** What a metric's value is; it decides the unit a threshold's limit must carry. */
export type MetricKind = 'duration' | 'rate' | 'count' | 'memory' | 'boolean' | 'usd' | 'number';

/** Latency-like histograms: `<name>.<stat>`, values in µs (memory in MB). */
export const HISTOGRAM_METRICS = {
  latency: 'clientLatencyUs',
  duration: 'durationUs',
  billedDuration: 'billedDurationUs',
  initDuration: 'initDurationUs',
  endToEnd: 'endToEndLatencyUs',
  overhead: 'overheadUs',
  memoryUsed: 'maxMemoryUsedMB',
  rejectedLatency: 'rejectedLatencyUs',
  /** Pull sources: the event source mapping's IteratorAge per batch (series.stream.iteratorAgeUs). */
  iteratorAge: 'stream.iteratorAgeUs',
} as const;
export type HistogramMetric = keyof typeof HISTOGRAM_METRICS;

export const HISTOGRAM_STATS = ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max', 'count'] as const;
export type HistogramStat = (typeof HISTOGRAM_STATS)[number];

/** Histograms split by cold/warm accept `latency.cold.p99` and `latency.warm.p99`. */
export const SPLIT_HISTOGRAMS: ReadonlySet<HistogramMetric> = new Set([
  'latency',
  'duration',
  'billedDuration',
  'memoryUsed',
]);

/** Counted outcomes: `<name>.count`, and `<name>.rate` over the denominator named here. */
export const COUNTER_METRICS = {
  arrivals: { denominator: undefined },
  attempts: { denominator: undefined },
  invocations: { denominator: undefined },
  coldStarts: { denominator: 'invocations' },
  errors: { denominator: 'attempts' },
  throttles: { denominator: 'attempts' },
  timeouts: { denominator: 'invocations' },
  outOfMemory: { denominator: 'invocations' },
  retries: { denominator: 'attempts' },
  dropped: { denominator: 'arrivals' },
  failed: { denominator: 'arrivals' },
  deadLettered: { denominator: 'arrivals' },
} as const;
export type CounterMetric = keyof typeof COUNTER_METRICS;

/** Whole-run checks with a true/false value; used bare (`harness.clean`) or negated (`!ledger.balanced`). */
export const BOOLEAN_METRICS = [
  'harness.clean',
  'harness.saturated',
  'ledger.balanced',
  'run.aborted',
] as const;

/** Other named figures: `<name>` → kind. Present only when results.json carries them. */
export const OTHER_METRICS: Readonly<Record<string, MetricKind>> = {
  'throughput.mean': 'number',
  'throughput.max': 'number',
  'cost.per1M': 'usd',
  'batchSize.mean': 'number',
  'batchSize.max': 'number',
  'harness.lateArrivals': 'count',
  'harness.stalls': 'count',
  'harness.loopDelay.max': 'duration',
  'scheduler.maxLag': 'duration',
};

/** The kind of the metric named by `path` (without a function prefix), or a reason it is unknown. */
export function metricKind(path: readonly string[]): MetricKind | { unknown: string } {
  const name = path.join('.');
  if ((BOOLEAN_METRICS as readonly string[]).includes(name)) return 'boolean';
  const other = OTHER_METRICS[name];
  if (other) return other;
  const [head, second, third, ...rest] = path;
  if (head !== undefined && head in HISTOGRAM_METRICS) {
    const metric = head as HistogramMetric;
    const split = second === 'cold' || second === 'warm';
    const stat = split ? third : second;
    if (split && !SPLIT_HISTOGRAMS.has(metric)) return { unknown: `${head} has no cold/warm split` };
    if (rest.length > 0 || (split ? path.length !== 3 : path.length !== 2))
      return {
        unknown: `expected ${head}.<stat>${SPLIT_HISTOGRAMS.has(metric) ? ` or ${head}.cold.<stat>` : ''}`,
      };
    if (!(HISTOGRAM_STATS as readonly string[]).includes(stat ?? ''))
      return { unknown: `unknown statistic "${stat}"; expected one of ${HISTOGRAM_STATS.join(', ')}` };
    if (stat === 'count') return 'count';
    return metric === 'memoryUsed' ? 'memory' : 'duration';
  }
  if (head !== undefined && head in COUNTER_METRICS && path.length === 2) {
    if (second === 'count') return 'count';
    if (second === 'rate' && COUNTER_METRICS[head as CounterMetric].denominator) return 'rate';
    return {
      unknown: `expected ${head}.count${COUNTER_METRICS[head as CounterMetric].denominator ? ` or ${head}.rate` : ''}`,
    };
  }
  return { unknown: `unknown metric "${name}"` };
}

/** Every metric name, for "did you mean" and the docs. */
export function knownMetricNames(): string[] {
  const names: string[] = [];
  for (const metric of Object.keys(HISTOGRAM_METRICS) as HistogramMetric[]) {
    for (const stat of HISTOGRAM_STATS) names.push(`${metric}.${stat}`);
  }
  for (const [metric, info] of Object.entries(COUNTER_METRICS)) {
    names.push(`${metric}.count`);
    if (info.denominator) names.push(`${metric}.rate`);
  }
  names.push(...BOOLEAN_METRICS, ...Object.keys(OTHER_METRICS));
  return names;
}
