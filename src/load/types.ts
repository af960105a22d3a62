/**
 * Load phases and the shapes the arrival schedulers report. Rates are arrivals per second;
 * durations and offsets are milliseconds.
 */
import type { Clock } from '../core/clock.js';

/** One phase of an open-model load profile, as the scenario resolves it. */
export type Phase =
  | { kind: 'constant'; durationMs: number; rate: number }
  | { kind: 'ramp'; durationMs: number; from: number; to: number }
  | { kind: 'count'; durationMs: number; count: number }
  | { kind: 'pause'; durationMs: number };

export const ARRIVAL_DISTRIBUTIONS = ['uniform', 'poisson'] as const;
export type ArrivalDistribution = (typeof ARRIVAL_DISTRIBUTIONS)[number];

export interface ArrivalOptions {
  distribution: ArrivalDistribution;
  /** Seeds the PRNG behind poisson arrivals; the same seed gives the same offsets. */
  seed: number;
}

/** Called for each started arrival; latency is measured from `intendedMs`, not from the call. */
export type ArrivalHandler = (index: number, intendedMs: number) => Promise<void>;

export interface OpenModelOptions {
  /** Intended start offsets in ms from the run start, ascending (see arrivalOffsets). */
  offsets: Iterable<number>;
  clock: Clock;
  /** Arrivals beyond this many unsettled ones are not started: onDropped is called instead. */
  maxInFlight: number;
  /** `intendedMs` is on the clock's monotonic timeline (run start + offset). */
  onArrival: ArrivalHandler;
  onDropped: (index: number, intendedMs: number) => void;
  /** Called for each arrival fired more than LATE_TOLERANCE_MS after its intended time. */
  onLate?: (intendedMs: number, lagMs: number) => void;
}

export interface OpenModelStats {
  /** Arrivals whose time came (started + dropped). */
  scheduled: number;
  started: number;
  /** Not started because maxInFlight arrivals were unsettled: dropped by the harness. */
  dropped: number;
  /** onArrival promises that rejected: a harness bug, reported rather than swallowed. */
  callbackErrors: number;
  firstCallbackError?: string;
  /** How late arrivals were fired relative to their intended time (schedule lag), in ms. */
  maxLagMs: number;
  meanLagMs: number;
  /** Arrivals fired more than 10 ms after their intended time. */
  lateOver10Ms: number;
  /** True when stop() ended the run before the offsets ran out. */
  stopped: boolean;
}

export interface ClosedModelOptions {
  /** Number of virtual callers, each looping: call, wait for it, think, call again. */
  concurrency: number;
  durationMs: number;
  thinkTimeMs: number;
  clock: Clock;
  onArrival: ArrivalHandler;
}

export interface ClosedModelStats {
  started: number;
  callbackErrors: number;
  firstCallbackError?: string;
  stopped: boolean;
}

/** A running scheduler: stop() ends new arrivals; done settles once started ones have. */
export interface RunningModel<S> {
  done: Promise<S>;
  stop(): void;
  /** The figures so far, without waiting for started arrivals to settle. */
  stats(): S;
}
