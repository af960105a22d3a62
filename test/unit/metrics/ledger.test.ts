import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyLedger, sumBuckets } from '../../../src/metrics/ledger.js';
import { LEDGER_BUCKETS } from '../../../src/metrics/types.js';

describe('KeyLedger', () => {
  it('balances for any distinct arrivals with at most one outcome each, the rest in flight', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(fc.nat(100_000), fc.nat(2 ** 45)), { maxLength: 300 }),
        fc.array(fc.constantFrom(...LEDGER_BUCKETS.filter((b) => b !== 'in-flight')), {
          minLength: 300,
          maxLength: 300,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (ids, buckets, settledShare) => {
          const ledger = new KeyLedger('k');
          for (const id of ids) ledger.arrival(id);
          const settled = Math.floor(ids.length * settledShare);
          ids.slice(0, settled).forEach((id, i) => {
            expect(ledger.outcome(id, buckets[i] ?? 'succeeded')).toBe(true);
          });
          expect(ledger.inFlight).toBe(ids.length - settled);
          ledger.closeInFlight();
          expect(ledger.buckets['in-flight']).toBe(ids.length - settled);
          expect(sumBuckets(ledger.buckets)).toBe(ledger.arrivals);
          expect(ledger.anomalyCount).toBe(0);
        },
      ),
    );
  });

  it('treats an outcome after finish as a duplicate: the arrival is already in flight', () => {
    const ledger = new KeyLedger('k');
    ledger.arrival(5);
    ledger.closeInFlight();
    ledger.closeInFlight(); // idempotent
    expect(ledger.buckets['in-flight']).toBe(1);
    expect(ledger.outcome(5, 'succeeded')).toBe(false);
    expect(ledger.anomalies.duplicateOutcomes).toBe(1);
    expect(sumBuckets(ledger.buckets)).toBe(2);
  });
});
