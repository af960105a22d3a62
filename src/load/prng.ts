/**
 * A small seeded PRNG (mulberry32) for arrival jitter. Not cryptographic: the point is that the
 * same seed replays the same schedule.
 */
export type Random = () => number;

/** Returns a generator of floats in [0, 1) determined by `seed`. */
export function seededRandom(seed: number): Random {
  // Fold the seed (any finite number) into 32 bits so 1.5 and 1 do not collide trivially.
  let state = (Math.floor(seed) ^ Math.floor((seed % 1) * 0x100000000)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

/** An exponential draw with mean 1 (inter-arrival time of a unit-rate Poisson process). */
export function exponential(random: Random): number {
  // 1 - u is in (0, 1], so the log is finite.
  return -Math.log(1 - random());
}
