/**
 * The order a sweep runs its settings in (pure). `sequential` runs each setting's whole load in
 * turn; `interleaved` cuts every setting's load into slices and runs slice 1 of each setting, then
 * slice 2, …; `random` shuffles all slices (seeded). With the two last, a machine that slows down
 * half-way slows every setting, instead of masquerading as a memory effect. `repeat` runs the whole
 * sweep again, and forced cold starts run as their own points before each setting's load.
 */
import { seededRandom } from '../load/prng.js';

export const SWEEP_ORDERS = ['sequential', 'interleaved', 'random'] as const;
export type SweepOrder = (typeof SWEEP_ORDERS)[number];

export interface SweepOrderOptions {
  order: SweepOrder;
  /** Whole sweeps to run; default 1. */
  repeat: number;
  /** Slices of the load per setting for interleaved and random orders; default 4. */
  slices: number;
  /** Forced cold starts per setting (and repeat), each in a new environment; default 0. */
  coldStarts: number;
  /** Seeds the random order. */
  seed: number;
}

export const DEFAULT_SWEEP_ORDER: SweepOrderOptions = {
  order: 'sequential',
  repeat: 1,
  slices: 4,
  coldStarts: 0,
  seed: 1,
};

/** Where a point sits in the sweep: which repeat, which slice of its setting's load, or cold starts. */
export interface PointSchedule {
  /** 0-based repeat. */
  repeat: number;
  /** The slice of the load this point runs; absent for a whole-load or a cold-start point. */
  slice?: { index: number; of: number };
  /** Set for a point that forces this many cold starts instead of running the load. */
  coldStarts?: number;
  /** 0-based position of the setting in the expanded (unordered) sweep. */
  setting: number;
}

/**
 * The ordered schedule for `settings` expanded points: every setting's cold-start point (if any)
 * and load slices, for every repeat.
 */
export function sweepSchedule(settings: number, options: SweepOrderOptions): PointSchedule[] {
  const slices = options.order === 'sequential' ? 1 : Math.max(1, Math.floor(options.slices));
  const out: PointSchedule[] = [];
  const random = seededRandom(options.seed);
  for (let repeat = 0; repeat < Math.max(1, options.repeat); repeat++) {
    const cold: PointSchedule[] = [];
    const load: PointSchedule[][] = [];
    for (let setting = 0; setting < settings; setting++) {
      if (options.coldStarts > 0) cold.push({ repeat, setting, coldStarts: options.coldStarts });
      load.push(
        Array.from({ length: slices }, (_, index) =>
          slices > 1 ? { repeat, setting, slice: { index, of: slices } } : { repeat, setting },
        ),
      );
    }
    if (options.order === 'sequential') {
      for (let setting = 0; setting < settings; setting++) {
        const c = cold[setting];
        if (c) out.push(c);
        out.push(...(load[setting] ?? []));
      }
    } else if (options.order === 'interleaved') {
      out.push(...cold);
      for (let index = 0; index < slices; index++) out.push(...load.map((l) => l[index] as PointSchedule));
    } else {
      // Cold-start points go first so they never land between a setting's warm slices.
      out.push(...shuffle(cold, random), ...shuffle(load.flat(), random));
    }
  }
  return out;
}

/** Fisher-Yates with the given PRNG. */
function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}
