/**
 * A MetricsSink that speaks Artillery 2's engine events: what delivery reports becomes `histogram`,
 * `counter`, `rate` and `error` events on the emitter Artillery gave the engine, under the names in
 * metric-names.ts. It keeps the same rules as the recorder (what counts as invoked, as an error) so
 * an Artillery run and a native run count the same things.
 */
import { isError, isInvoked } from '../metrics/series-state.js';
import type { AttemptRecord, MetricsSink, OutcomeRecord, SeriesKey } from '../metrics/types.js';
import {
  INVOKE_RATE,
  type SeriesCounter,
  type SeriesHistogram,
  seriesMetric,
  totalMetric,
} from './metric-names.js';

/** The part of Artillery's per-scenario emitter the engine uses. */
export interface ArtilleryEmitter {
  emit(event: 'counter', name: string, value: number): boolean;
  emit(event: 'histogram', name: string, value: number): boolean;
  emit(event: 'rate', name: string): boolean;
  emit(event: 'error', code: string): boolean;
}

/** Sends every record to the emitter `current()` returns (Artillery hands one per scenario). */
export function createArtillerySink(current: () => ArtilleryEmitter | undefined): MetricsSink {
  const counter = (key: SeriesKey, name: SeriesCounter | string, value = 1): void => {
    current()?.emit('counter', seriesMetric(key.functionName, key.memoryMB, name), value);
  };
  const histogram = (key: SeriesKey, name: SeriesHistogram, value: number): void => {
    current()?.emit('histogram', seriesMetric(key.functionName, key.memoryMB, name), value);
  };
  return {
    arrival(key) {
      counter(key, 'arrivals');
      current()?.emit('counter', totalMetric('arrivals'), 1);
    },

    attempt(record: AttemptRecord) {
      const ee = current();
      if (ee === undefined) return;
      const { key, result } = record;
      const latencyMs = record.endMs - record.intendedStartMs;
      counter(key, 'attempts');
      if (record.httpStatus !== undefined) counter(key, `http.${record.httpStatus}`);
      if (record.answeredAfterIntegrationTimeout) counter(key, 'answered_after_integration_timeout');
      if (result.status === 'throttled') {
        counter(key, 'throttles');
        ee.emit('counter', totalMetric('throttles'), 1);
      } else if (result.status === 'service-error') {
        counter(key, 'service_errors');
      }
      if (isError(result.status)) {
        const type = result.errorType ?? result.status;
        counter(key, 'errors');
        counter(key, `error.${type}`);
        ee.emit('counter', totalMetric('errors'), 1);
        // Artillery counts it as errors.<code>: a string code, never an Error object.
        ee.emit('error', type);
      }
      if (!isInvoked(result.status)) return;
      counter(key, 'invocations');
      ee.emit('counter', totalMetric('invocations'), 1);
      ee.emit('rate', INVOKE_RATE);
      if (result.status === 'timeout') counter(key, 'timeouts');
      if (result.status === 'out-of-memory') counter(key, 'out_of_memory');
      histogram(key, 'latency', latencyMs);
      histogram(key, result.cold ? 'cold_latency' : 'warm_latency', latencyMs);
      if (result.cold) {
        counter(key, 'cold_starts');
        ee.emit('counter', totalMetric('cold_starts'), 1);
      }
      if (result.durationMs !== undefined) histogram(key, 'duration', result.durationMs);
      if (result.billedDurationMs !== undefined) histogram(key, 'billed_duration', result.billedDurationMs);
      if (result.initDurationMs !== undefined) histogram(key, 'init_duration', result.initDurationMs);
      if (result.maxMemoryUsedMB !== undefined) histogram(key, 'max_memory_used', result.maxMemoryUsedMB);
    },

    outcome(record: OutcomeRecord) {
      counter(record.key, `outcome.${record.bucket}`);
      // API Gateway's own 504 at the integration timeout: the client's status is on the outcome.
      if (record.httpStatus !== undefined) counter(record.key, `http.${record.httpStatus}`);
      if (record.bucket !== 'dropped' && record.bucket !== 'in-flight') {
        histogram(record.key, 'end_to_end', record.endMs - record.intendedStartMs);
      }
    },

    retry(key) {
      counter(key, 'retries');
    },

    filtered(key) {
      counter(key, 'filtered');
    },
  };
}
