import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { arrivalOffsets } from '../../../src/load/arrivals.js';
import { expectedArrivals, totalDurationMs } from '../../../src/load/phases.js';
import type { Phase } from '../../../src/load/types.js';

const uniform = { distribution: 'uniform', seed: 1 } as const;
const offsets = (
  phases: Phase[],
  options: { distribution: 'uniform' | 'poisson'; seed: number } = uniform,
) => [...arrivalOffsets(phases, options)];

describe('uniform arrivals', () => {
  it('spaces a constant rate 1/rate apart from the phase start', () => {
    const result = offsets([{ kind: 'constant', durationMs: 1000, rate: 10 }]);
    expect(result).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('keeps fractional rates exact (2.5/s for 2 s = 5 arrivals, 400 ms apart)', () => {
    const result = offsets([{ kind: 'constant', durationMs: 2000, rate: 2.5 }]);
    expect(result).toHaveLength(5);
    for (const [k, t] of result.entries()) expect(t).toBeCloseTo(k * 400, 9);
  });

  it('does not add an arrival from float error (0.1/s for 30 s = 3)', () => {
    expect(offsets([{ kind: 'constant', durationMs: 30_000, rate: 0.1 }])).toHaveLength(3);
    expect(expectedArrivals([{ kind: 'constant', durationMs: 30_000, rate: 0.1 }])).toBe(3);
  });

  it('places a linear ramp where the integral of the rate reaches each arrival', () => {
    // 0 → 10/s over 10 s: Λ(t) = t²/2, so arrival k sits at √(2k) s and there are 50.
    const result = offsets([{ kind: 'ramp', durationMs: 10_000, from: 0, to: 10 }]);
    expect(result).toHaveLength(50);
    for (const [k, t] of result.entries()) expect(t).toBeCloseTo(Math.sqrt(2 * k) * 1000, 6);
    // Not per-second steps: within the first second, arrivals thin out toward t = 0.
    expect(result.filter((t) => t < 1000)).toHaveLength(1);
    // Λ(9) = 40.5, so arrivals 41…49 fall in the last second: 9 of them.
    expect(result.filter((t) => t >= 9000)).toHaveLength(9);
  });

  it('follows a falling ramp and a ramp with a non-zero start', () => {
    const falling = offsets([{ kind: 'ramp', durationMs: 4000, from: 20, to: 0 }]);
    expect(falling).toHaveLength(40); // (20 + 0) / 2 × 4 s
    // Λ(t) = 20t − 2.5t²: count by t = 2 s is Λ(2) = 30.
    expect(falling.filter((t) => t < 2000)).toHaveLength(30);
    const rising = offsets([{ kind: 'ramp', durationMs: 2000, from: 10, to: 30 }]);
    expect(rising).toHaveLength(40);
    // Λ(1) = 10 + 5 = 15 arrivals in the first second.
    expect(rising.filter((t) => t < 1000)).toHaveLength(15);
  });

  it('spreads an arrival count evenly and shifts later phases by pauses', () => {
    const result = offsets([
      { kind: 'count', durationMs: 1000, count: 4 },
      { kind: 'pause', durationMs: 5000 },
      { kind: 'constant', durationMs: 1000, rate: 2 },
    ]);
    expect(result).toEqual([0, 250, 500, 750, 6000, 6500]);
  });

  it('plans duration and arrival counts without generating them', () => {
    const phases: Phase[] = [
      { kind: 'constant', durationMs: 60_000, rate: 100 },
      { kind: 'ramp', durationMs: 30_000, from: 100, to: 200 },
      { kind: 'pause', durationMs: 10_000 },
      { kind: 'count', durationMs: 1000, count: 7 },
    ];
    expect(totalDurationMs(phases)).toBe(101_000);
    expect(expectedArrivals(phases)).toBe(6000 + 4500 + 7);
    expect(offsets(phases)).toHaveLength(6000 + 4500 + 7);
  });

  it('is ascending across phases', () => {
    const result = offsets([
      { kind: 'ramp', durationMs: 3000, from: 5, to: 50 },
      { kind: 'constant', durationMs: 1000, rate: 7 },
    ]);
    for (let i = 1; i < result.length; i++) expect(result[i]).toBeGreaterThanOrEqual(result[i - 1] ?? 0);
  });

  it('rejects impossible phases with the field named', () => {
    expect(() => offsets([{ kind: 'constant', durationMs: 1000, rate: -1 }])).toThrow(InputError);
    expect(() => offsets([{ kind: 'count', durationMs: 1000, count: 1.5 }])).toThrow(/phases\[0\]\.count/);
    expect(() =>
      offsets([
        { kind: 'pause', durationMs: 5 },
        { kind: 'ramp', durationMs: 1, from: 1, to: Number.NaN },
      ]),
    ).toThrow(/phases\[1\]\.to/);
  });
});

describe('poisson arrivals', () => {
  const poisson = (seed: number) => ({ distribution: 'poisson', seed }) as const;

  it('keeps the mean rate of a constant phase within a statistical bound', () => {
    // 1000/s for 10 s: the count is Poisson(10000), sd 100; 4 sd is a one-in-15,000 miss.
    const result = offsets([{ kind: 'constant', durationMs: 10_000, rate: 1000 }], poisson(42));
    expect(Math.abs(result.length - 10_000)).toBeLessThan(400);
    // Exponential gaps: mean ≈ 1 ms and coefficient of variation ≈ 1 (uniform spacing has 0).
    const gaps = result.slice(1).map((t, i) => t - (result[i] ?? 0));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeGreaterThan(0.95);
    expect(mean).toBeLessThan(1.05);
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('follows a ramp by time rescaling', () => {
    // 0 → 2000/s over 10 s: mean 10000 arrivals, 2500 of them in the first half.
    const result = offsets([{ kind: 'ramp', durationMs: 10_000, from: 0, to: 2000 }], poisson(7));
    expect(Math.abs(result.length - 10_000)).toBeLessThan(400);
    const firstHalf = result.filter((t) => t < 5000).length;
    expect(Math.abs(firstHalf - 2500)).toBeLessThan(200); // sd 50
    expect(result.every((t) => t >= 0 && t < 10_000)).toBe(true);
  });

  it('keeps a count phase exact, ascending and inside the phase', () => {
    const result = offsets(
      [
        { kind: 'pause', durationMs: 100 },
        { kind: 'count', durationMs: 1000, count: 500 },
      ],
      poisson(3),
    );
    expect(result).toHaveLength(500);
    for (let i = 1; i < result.length; i++) expect(result[i]).toBeGreaterThanOrEqual(result[i - 1] ?? 0);
    expect(result.every((t) => t >= 100 && t < 1100)).toBe(true);
    expect(result.filter((t) => t < 600).length).toBeGreaterThan(200); // half the window, ~250
    expect(result.filter((t) => t < 600).length).toBeLessThan(300);
  });

  it('replays the same schedule for the same seed and a different one for another', () => {
    const phases: Phase[] = [{ kind: 'constant', durationMs: 1000, rate: 50 }];
    expect(offsets(phases, poisson(9))).toEqual(offsets(phases, poisson(9)));
    expect(offsets(phases, poisson(9))).not.toEqual(offsets(phases, poisson(10)));
  });
});

describe('arrival plan invariants', () => {
  const phase = fc.oneof(
    fc.record({
      kind: fc.constant('constant' as const),
      durationMs: fc.integer({ min: 0, max: 20_000 }),
      rate: fc.double({ min: 0, max: 300, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant('ramp' as const),
      durationMs: fc.integer({ min: 0, max: 20_000 }),
      from: fc.double({ min: 0, max: 300, noNaN: true }),
      to: fc.double({ min: 0, max: 300, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant('count' as const),
      durationMs: fc.integer({ min: 1, max: 20_000 }),
      count: fc.nat(500),
    }),
    fc.record({ kind: fc.constant('pause' as const), durationMs: fc.integer({ min: 0, max: 5000 }) }),
  );

  it('uniform plans yield exactly expectedArrivals, ascending, each inside its phase', () => {
    fc.assert(
      fc.property(fc.array(phase, { maxLength: 4 }), (phases) => {
        const result = offsets(phases);
        expect(result).toHaveLength(expectedArrivals(phases));
        let phaseStart = 0;
        let i = 0;
        for (const p of phases) {
          const n = p.kind === 'pause' ? 0 : expectedArrivals([p]);
          for (const t of result.slice(i, i + n)) {
            expect(t).toBeGreaterThanOrEqual(phaseStart);
            expect(t).toBeLessThan(phaseStart + p.durationMs + 1e-6);
          }
          i += n;
          phaseStart += p.durationMs;
        }
        for (let k = 1; k < result.length; k++) expect(result[k]).toBeGreaterThanOrEqual(result[k - 1] ?? 0);
      }),
      { numRuns: 200 },
    );
  });
});
