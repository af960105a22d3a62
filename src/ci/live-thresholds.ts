/**
 * Thresholds marked `abortOnFail`, checked while a point runs on the counters recorded so far
 * (Recorder.peek): a failing error rate or throttle count stops the run instead of letting it
 * burn its whole duration. Only counters and rates can be checked live; latency percentiles are
 * checked after the run from results.json.
 */
import type { LiveSeries } from '../metrics/recorder.js';
import type { SeriesResults } from '../metrics/results-schema.js';
import { formatValue } from './format-value.js';
import { COUNTER_METRICS } from './metric-namespace.js';
import { counterValue } from './metric-values.js';
import { parseThreshold, type Threshold } from './threshold-syntax.js';
import { compare, type ThresholdSpec } from './thresholds.js';

/** Why a threshold cannot abort a run early, or undefined when it can. */
export function liveCheckProblem(threshold: Threshold): string | undefined {
  const head = threshold.metric[0] ?? '';
  if (head in COUNTER_METRICS && (threshold.kind === 'count' || threshold.kind === 'rate')) return undefined;
  return `abortOnFail works on counters and rates (errors.rate, throttles.count, coldStarts.rate, …); ${threshold.metric.join('.')} is checked after the run`;
}

export interface LiveFailure {
  spec: ThresholdSpec;
  /** One line: the threshold and the figure that broke it. */
  message: string;
}

/**
 * The first `abortOnFail` threshold that fails on `live` once `elapsedMs` is past its delay;
 * undefined when all hold (or none may abort yet). Thresholds with too little data yet (a rate
 * with no calls) do not abort.
 */
export function checkLive(
  specs: readonly ThresholdSpec[],
  live: readonly LiveSeries[],
  elapsedMs: number,
): LiveFailure | undefined {
  for (const spec of specs) {
    if (!spec.abortOnFail || elapsedMs < (spec.delayAbortMs ?? 0)) continue;
    const threshold = parseThreshold(spec.expression);
    if (liveCheckProblem(threshold)) continue;
    const series = live
      .filter((s) => threshold.functionName === undefined || s.key.functionName === threshold.functionName)
      .filter((s) => threshold.memoryMB === undefined || s.key.memoryMB === threshold.memoryMB)
      .map(asSeries);
    const value = counterValue(
      series,
      threshold.metric[0] as keyof typeof COUNTER_METRICS,
      threshold.kind === 'rate',
    );
    if (!('value' in value)) continue;
    if (!compare(value.value, threshold.operator ?? '<', threshold.limit ?? 0)) {
      return {
        spec,
        message: `threshold failed: ${spec.expression} (${formatValue(value.value, threshold.kind)} after ${(elapsedMs / 1000).toFixed(0)} s)`,
      };
    }
  }
  return undefined;
}

/** Enough of a results series for the counter metrics. */
function asSeries(live: LiveSeries): SeriesResults {
  return {
    key: live.key,
    counters: live.counters,
    histograms: { clientLatencyUs: {}, durationUs: {}, billedDurationUs: {}, maxMemoryUsedMB: {} },
    perSecond: [],
    ledger: { arrivals: live.arrivals, buckets: live.buckets, balanced: true },
  };
}
