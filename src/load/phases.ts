/**
 * Pure planning over phases: how long a profile lasts, how many arrivals it makes, and the
 * cumulative arrival intensity Λ(t) (expected arrivals by time t) with its inverse, which is
 * what places arrivals exactly on a linear ramp rather than in per-second steps.
 */
import { InputError } from '../core/errors.js';
import type { Phase } from './types.js';

/** Floating-point slack so that e.g. 0.1/s × 30 s plans 3 arrivals, not 4. */
const EPSILON = 1e-9;

/** Checks the numbers the scheduler relies on; the scenario loader reports positions first. */
export function assertValidPhases(phases: readonly Phase[]): void {
  phases.forEach((phase, i) => {
    const bad = (field: string, expected: string): never => {
      throw new InputError('INVALID_PHASE', `phases[${i}].${field}: expected ${expected}`);
    };
    if (!Number.isFinite(phase.durationMs) || phase.durationMs < 0) bad('durationMs', 'a duration ≥ 0 ms');
    switch (phase.kind) {
      case 'constant':
        if (!Number.isFinite(phase.rate) || phase.rate < 0) bad('rate', 'a rate ≥ 0 per second');
        break;
      case 'ramp':
        if (!Number.isFinite(phase.from) || phase.from < 0) bad('from', 'a rate ≥ 0 per second');
        if (!Number.isFinite(phase.to) || phase.to < 0) bad('to', 'a rate ≥ 0 per second');
        break;
      case 'count':
        if (!Number.isInteger(phase.count) || phase.count < 0) bad('count', 'a whole number ≥ 0');
        if (phase.count > 0 && phase.durationMs <= 0) bad('durationMs', 'a duration > 0 ms for a count');
        break;
      case 'pause':
        break;
    }
  });
}

/** Total planned duration in ms. */
export function totalDurationMs(phases: readonly Phase[]): number {
  return phases.reduce((sum, p) => sum + p.durationMs, 0);
}

/** Arrivals the profile plans: exact for uniform spacing, the mean for poisson (count is exact). */
export function expectedArrivals(phases: readonly Phase[]): number {
  return phases.reduce((sum, p) => sum + phaseArrivals(p), 0);
}

function phaseArrivals(phase: Phase): number {
  if (phase.kind === 'count') return phase.count;
  if (phase.kind === 'pause') return 0;
  // Arrival k (0-based) happens where Λ(t) = k, so there are as many as whole k below Λ(end).
  return countBelow(totalIntensity(phase));
}

/** How many non-negative integers k satisfy k < x (with float slack). */
export function countBelow(x: number): number {
  return Math.max(0, Math.ceil(x - EPSILON));
}

/** A rate phase as a linear rate r(t) = from + slope·t, t in seconds from the phase start. */
export interface RateShape {
  from: number;
  /** Rate change per second. */
  slope: number;
  durationS: number;
}

export function rateShape(phase: Extract<Phase, { kind: 'constant' | 'ramp' }>): RateShape {
  const durationS = phase.durationMs / 1000;
  if (phase.kind === 'constant') return { from: phase.rate, slope: 0, durationS };
  return { from: phase.from, slope: durationS > 0 ? (phase.to - phase.from) / durationS : 0, durationS };
}

/** Λ over the whole phase: expected arrivals (the area under the rate line). */
export function totalIntensity(phase: Extract<Phase, { kind: 'constant' | 'ramp' }>): number {
  const { from, slope, durationS } = rateShape(phase);
  return from * durationS + (slope * durationS * durationS) / 2;
}

/**
 * The time t (seconds from the phase start) where Λ(t) = from·t + slope·t²/2 reaches `target`.
 * Written as 2L / (from + √(from² + 2·slope·L)) so it stays exact for slope 0 and for ramps
 * starting at rate 0, without cancelling digits.
 */
export function timeAtIntensity(shape: RateShape, target: number): number {
  if (target <= 0) return 0;
  const disc = Math.max(0, shape.from * shape.from + 2 * shape.slope * target);
  const t = (2 * target) / (shape.from + Math.sqrt(disc));
  return Math.min(Math.max(0, t), shape.durationS);
}
