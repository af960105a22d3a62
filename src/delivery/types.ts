/**
 * The common shape of every push-source delivery: one object per (source, function, qualifier)
 * that hands arrivals to the target the way the real AWS service would, and reports every call
 * and exactly one final outcome per arrival to the metrics sink.
 */
import type { Clock } from '../core/clock.js';
import type { MetricsSink, SeriesKey } from '../metrics/types.js';
import type { Target } from '../targets/types.js';

/** What every delivery needs: where to call, where to report, and the clock for every delay. */
export interface DeliveryContext {
  target: Target;
  sink: MetricsSink;
  clock: Clock;
  /** Identifies the histogram family; functionName and qualifier are also what is invoked. */
  key: SeriesKey;
}

export interface Delivery {
  readonly key: SeriesKey;
  /**
   * Hands one arrival to the function. Resolves when the arrival reached its final outcome (one
   * sink.outcome call); never rejects. The caller has already called sink.arrival.
   */
  deliver(eventId: number, intendedStartMs: number, payload: string): Promise<void>;
  /**
   * No new attempt is started from now on: arrivals waiting for a retry, a back-off, a queue slot or
   * a response end as `in-flight`. Calls already running finish and are recorded.
   */
  stop(): void;
  /** Resolves when every accepted arrival has its outcome and every file write is flushed. */
  settled(): Promise<void>;
  /**
   * After the calls settled and before the point's recorder closes: completes what the calls'
   * answers did not carry (an Event invoke's figures, read from the function's logs). Never rejects.
   */
  complete?(): Promise<void>;
}
