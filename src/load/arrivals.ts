/**
 * Intended arrival offsets for a profile of phases: a lazy, deterministic sequence of ms offsets
 * from the run start, so a million-arrival plan never sits in memory.
 */
import { assertValidPhases, countBelow, rateShape, timeAtIntensity, totalIntensity } from './phases.js';
import { exponential, type Random, seededRandom } from './prng.js';
import type { ArrivalOptions, Phase } from './types.js';

/**
 * Yields ascending offsets (ms from the run start) for every arrival of every phase.
 *
 * Uniform: arrival k of a rate phase sits where the cumulative intensity Λ(t) equals k (so a
 * constant rate is spaced 1/rate apart starting at the phase start, and a ramp follows the
 * integral of its rate exactly); a count phase spreads its arrivals evenly.
 * Poisson: the same Λ inverted at the jump times of a unit-rate Poisson process (time
 * rescaling), which keeps the mean rate and gives exponential gaps; a count phase keeps its
 * exact count at sorted uniform times, which is a Poisson process conditioned on that count.
 *
 * @example [...arrivalOffsets([{ kind: 'constant', durationMs: 1000, rate: 4 }], { distribution: 'uniform', seed: 1 })]
 *          // → [0, 250, 500, 750]
 */
export function* arrivalOffsets(phases: readonly Phase[], options: ArrivalOptions): Generator<number> {
  assertValidPhases(phases);
  const random = seededRandom(options.seed);
  const poisson = options.distribution === 'poisson';
  let phaseStartMs = 0;
  for (const phase of phases) {
    if (phase.kind === 'constant' || phase.kind === 'ramp') {
      yield* rateOffsets(phase, phaseStartMs, poisson ? random : undefined);
    } else if (phase.kind === 'count') {
      yield* countOffsets(phase.count, phase.durationMs, phaseStartMs, poisson ? random : undefined);
    }
    phaseStartMs += phase.durationMs;
  }
}

function* rateOffsets(
  phase: Extract<Phase, { kind: 'constant' | 'ramp' }>,
  startMs: number,
  random: Random | undefined,
): Generator<number> {
  const shape = rateShape(phase);
  const total = totalIntensity(phase);
  if (!random) {
    const n = countBelow(total);
    for (let k = 0; k < n; k++) yield startMs + timeAtIntensity(shape, k) * 1000;
    return;
  }
  for (let target = exponential(random); target < total; target += exponential(random)) {
    yield startMs + timeAtIntensity(shape, target) * 1000;
  }
}

function* countOffsets(
  count: number,
  durationMs: number,
  startMs: number,
  random: Random | undefined,
): Generator<number> {
  if (!random) {
    for (let k = 0; k < count; k++) yield startMs + (k * durationMs) / count;
    return;
  }
  // Ascending order statistics of `count` uniforms on [0, 1): the minimum of n uniforms on
  // [a, 1) is a + (1 − a)(1 − V^(1/n)) for V uniform on (0, 1], applied with n = count, count − 1, …
  let position = 0;
  for (let remaining = count; remaining > 0; remaining--) {
    position += (1 - position) * (1 - (1 - random()) ** (1 / remaining));
    yield startMs + position * durationMs;
  }
}
