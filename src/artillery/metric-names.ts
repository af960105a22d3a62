/**
 * The names lambench's Artillery engine gives its metrics, shared by the engine (which emits them)
 * and the converter (which reads them back from Artillery's JSON report). Artillery's `ensure`
 * plugin sees histograms as `<name>.p95`, `<name>.max`, … and counters and rates by name.
 *
 * Per function and memory setting (`lambench.<function>.<memory>.…`), in ms unless said:
 *   latency, cold_latency, warm_latency   client latency of attempts that reached the function
 *   duration, billed_duration             REPORT figures
 *   init_duration                         cold starts only
 *   max_memory_used                       MB
 *   end_to_end                            per arrival, to its final outcome (retries included)
 *   arrivals, attempts, invocations, cold_starts, errors, throttles, retries, timeouts,
 *   out_of_memory, service_errors, filtered   counters
 *   outcome.<bucket>                      one per arrival: succeeded, failed, dead-lettered, …
 *   error.<errorType>                     errors by type (also Artillery's `errors.<errorType>`)
 *   http.<status>                         API Gateway sources: the status the client saw
 *   answered_after_integration_timeout    API Gateway answered 504 while the call still ran
 * Totals over every function: lambench.arrivals, lambench.invocations, lambench.cold_starts,
 * lambench.errors, lambench.throttles (counters) and lambench.invoke_rate (rate).
 */

/** Artillery cuts metric names at 1024 characters; function names are at most 64, so no cut. */
export const METRIC_PREFIX = 'lambench';

/** Histograms per series, in the unit Artillery shows (ms, or MB for memory). */
export const SERIES_HISTOGRAMS = [
  'latency',
  'cold_latency',
  'warm_latency',
  'duration',
  'billed_duration',
  'init_duration',
  'max_memory_used',
  'end_to_end',
] as const;
export type SeriesHistogram = (typeof SERIES_HISTOGRAMS)[number];

/** Counters per series. */
export const SERIES_COUNTERS = [
  'arrivals',
  'attempts',
  'invocations',
  'cold_starts',
  'errors',
  'throttles',
  'retries',
  'timeouts',
  'out_of_memory',
  'service_errors',
  'filtered',
] as const;
export type SeriesCounter = (typeof SERIES_COUNTERS)[number];

/** Counters over every series. */
export const TOTAL_COUNTERS = ['arrivals', 'invocations', 'cold_starts', 'errors', 'throttles'] as const;
export const INVOKE_RATE = `${METRIC_PREFIX}.invoke_rate`;

/** `lambench.<function>.<memory>` — the prefix of one series' metrics. */
export function seriesPrefix(functionName: string, memoryMB: number): string {
  return `${METRIC_PREFIX}.${functionName}.${memoryMB}`;
}

/** `lambench.<function>.<memory>.<metric>`. */
export function seriesMetric(functionName: string, memoryMB: number, metric: string): string {
  return `${seriesPrefix(functionName, memoryMB)}.${metric}`;
}

/** `lambench.<counter>`. */
export function totalMetric(counter: (typeof TOTAL_COUNTERS)[number]): string {
  return `${METRIC_PREFIX}.${counter}`;
}

/**
 * Splits `lambench.<function>.<memory>.<rest>` back into its parts (function names may hold dots
 * only on AWS ARNs, never in a scenario's logical names, so the memory is the first all-digit part).
 */
export function parseSeriesMetric(
  name: string,
): { functionName: string; memoryMB: number; metric: string } | undefined {
  if (!name.startsWith(`${METRIC_PREFIX}.`)) return undefined;
  const parts = name.slice(METRIC_PREFIX.length + 1).split('.');
  const at = parts.findIndex((p, i) => i > 0 && /^\d+$/.test(p));
  if (at < 1 || at === parts.length - 1) return undefined;
  return {
    functionName: parts.slice(0, at).join('.'),
    memoryMB: Number(parts[at]),
    metric: parts.slice(at + 1).join('.'),
  };
}
