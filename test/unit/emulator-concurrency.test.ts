import { describe, expect, it } from 'vitest';
import { Concurrency, type ConcurrencySlot } from '../../src/emulator/concurrency.js';
import { LambdaServiceError } from '../../src/emulator/types.js';

function throttle(fn: () => void): LambdaServiceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LambdaServiceError) return err;
    throw err;
  }
  throw new Error('expected a throttle');
}

describe('concurrency', () => {
  it('throttles without capturing a stack (an answer of the API, met thousands of times a second when behind)', () => {
    const c = new Concurrency(1);
    c.acquire({ inFlight: 0 });
    const err = throttle(() => c.acquire({ inFlight: 0 }));
    expect(err.stack?.split('\n')).toHaveLength(1);
    expect(err.message).toMatch(/Rate Exceeded|concurren/i);
    // Ordinary errors still get their stacks.
    expect(new Error('x').stack?.split('\n').length).toBeGreaterThan(1);
  });

  it('caps a function at its reserved concurrency with the reserved Reason', () => {
    const c = new Concurrency(1000);
    const fn: ConcurrencySlot = { inFlight: 0 };
    c.reserve(fn, 2);
    c.acquire(fn);
    c.acquire(fn);
    const err = throttle(() => c.acquire(fn));
    expect(err).toMatchObject({
      type: 'TooManyRequestsException',
      httpStatus: 429,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      retryAfterSeconds: 1,
    });
    c.release(fn);
    expect(() => c.acquire(fn)).not.toThrow();
  });

  it('shares the unreserved pool: account limit minus every reservation', () => {
    const c = new Concurrency(20);
    const reserved: ConcurrencySlot = { inFlight: 0 };
    c.reserve(reserved, 15);
    const a: ConcurrencySlot = { inFlight: 0 };
    const b: ConcurrencySlot = { inFlight: 0 };
    for (let i = 0; i < 3; i++) c.acquire(a);
    for (let i = 0; i < 2; i++) c.acquire(b);
    expect(throttle(() => c.acquire(a)).reason).toBe('ConcurrentInvocationLimitExceeded');
    // The reserved function still has its own capacity.
    expect(() => c.acquire(reserved)).not.toThrow();
  });

  it('keeps the minimum unreserved pool when reserving', () => {
    const c = new Concurrency(1000);
    expect(c.minimumUnreserved).toBe(100);
    const fn: ConcurrencySlot = { inFlight: 0 };
    expect(() => c.reserve(fn, 900)).not.toThrow();
    const other: ConcurrencySlot = { inFlight: 0 };
    expect(throttleOrError(() => c.reserve(other, 1))).toBe('InvalidParameterValueException');
    c.reserve(fn, undefined);
    expect(() => c.reserve(other, 1)).not.toThrow();
  });

  it('moves in-flight invokes between pools when a reservation changes', () => {
    const c = new Concurrency(10);
    const fn: ConcurrencySlot = { inFlight: 0 };
    const other: ConcurrencySlot = { inFlight: 0 };
    for (let i = 0; i < 5; i++) c.acquire(fn);
    c.reserve(fn, 5);
    // 10 - 5 reserved = 5 unreserved, none in use now that fn's five moved out.
    for (let i = 0; i < 5; i++) c.acquire(other);
    expect(throttle(() => c.acquire(other)).reason).toBe('ConcurrentInvocationLimitExceeded');
  });
});

function throttleOrError(fn: () => void): string {
  return throttle(fn).type;
}
