import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from '../../../src/stats/index.js';
import { histogramOfValues } from './synthetic.js';

describe('mannWhitneyU', () => {
  it('matches the textbook asymptotic test on separated samples (scipy: U=0, p=0.08086)', () => {
    const r = mannWhitneyU(histogramOfValues([1, 2, 3]), histogramOfValues([4, 5, 6]));
    expect(r.u).toBe(0);
    expect(r.pValue).toBeCloseTo(0.0808556, 5);
    expect(r.z).toBeLessThan(0);
    expect(r.probabilityOfSuperiority).toBe(0);
    expect(r.rankBiserial).toBe(-1);
  });

  it('uses midranks and the tie-corrected variance (scipy: U=8.5, p=0.025280)', () => {
    const a = histogramOfValues([10, 20, 20, 30, 30, 30, 40]);
    const b = histogramOfValues([20, 30, 40, 40, 50, 50, 60, 70]);
    const ab = mannWhitneyU(a, b);
    expect(ab.u).toBe(8.5);
    expect(ab.pValue).toBeCloseTo(0.0252797, 5);
    const ba = mannWhitneyU(b, a);
    expect(ba.u).toBe(47.5);
    expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
    expect(ba.z).toBeCloseTo(-ab.z, 12);
    expect(ab.nA).toBe(7);
    expect(ab.nB).toBe(8);
    expect(ab.probabilityOfSuperiority + ba.probabilityOfSuperiority).toBeCloseTo(1, 12);
  });

  it('calls all-equal samples and empty samples a p of 1', () => {
    expect(mannWhitneyU(histogramOfValues([5, 5, 5]), histogramOfValues([5, 5])).pValue).toBe(1);
    const empty = mannWhitneyU(histogramOfValues([]), histogramOfValues([1, 2]));
    expect(empty.pValue).toBe(1);
    expect(empty.nA).toBe(0);
  });

  it('reads large histograms by bucket: 100,000 samples each side, a clear shift, a tiny p', () => {
    const a = histogramOfValues(Array.from({ length: 100_000 }, (_, i) => 1000 + (i % 1000)));
    const b = histogramOfValues(Array.from({ length: 100_000 }, (_, i) => 1100 + (i % 1000)));
    const r = mannWhitneyU(a, b);
    expect(r.nA).toBe(100_000);
    expect(r.pValue).toBeLessThan(1e-10);
    // Two uniforms of width 1000 offset by 100: P(A > B) = (0.9²)/2 = 0.405.
    expect(r.probabilityOfSuperiority).toBeCloseTo(0.405, 2);
  });
});
