/**
 * Account and reserved concurrency, as Lambda counts it: in-flight invokes. A function with reserved
 * concurrency R runs at most R at once and draws only on its reservation; the others share what the
 * account limit leaves unreserved. Over either limit an invoke is throttled (429 with a Reason).
 */
import { invalidParameter, tooManyRequests } from './service-errors.js';

/** Counts of one function, kept on the function's own record so acquire/release are two field updates. */
export interface ConcurrencySlot {
  inFlight: number;
  reserved?: number;
}

export class Concurrency {
  readonly #account: number;
  #reservedTotal = 0;
  #unreservedInFlight = 0;

  constructor(accountLimit: number) {
    this.#account = accountLimit;
  }

  get accountLimit(): number {
    return this.#account;
  }

  /** What the account limit leaves after every reservation (GetAccountSettings' UnreservedConcurrentExecutions). */
  get unreserved(): number {
    return this.#account - this.#reservedTotal;
  }

  /**
   * Lambda keeps at least 100 of the default 1,000 unreserved; for a smaller account limit (tests)
   * the same tenth is kept.
   */
  get minimumUnreserved(): number {
    return Math.min(100, Math.floor(this.#account / 10));
  }

  /** Throws TooManyRequestsException when the invoke would exceed a limit; otherwise counts it. */
  acquire(slot: ConcurrencySlot): void {
    if (slot.reserved !== undefined) {
      if (slot.inFlight >= slot.reserved)
        throw tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded');
    } else {
      if (this.#unreservedInFlight >= this.#account - this.#reservedTotal) {
        throw tooManyRequests('ConcurrentInvocationLimitExceeded');
      }
      this.#unreservedInFlight++;
    }
    slot.inFlight++;
  }

  release(slot: ConcurrencySlot): void {
    slot.inFlight--;
    if (slot.reserved === undefined) this.#unreservedInFlight--;
  }

  /** PutFunctionConcurrency: the unreserved pool must keep its minimum. */
  reserve(slot: ConcurrencySlot, value: number | undefined): void {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw invalidParameter(`ReservedConcurrentExecutions ${value} must be an integer ≥ 0`);
    }
    const total = this.#reservedTotal - (slot.reserved ?? 0) + (value ?? 0);
    if (this.#account - total < this.minimumUnreserved) {
      throw invalidParameter(
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.minimumUnreserved}].`,
      );
    }
    // In-flight invokes move between the pools with the function.
    if (slot.reserved === undefined && value !== undefined) this.#unreservedInFlight -= slot.inFlight;
    if (slot.reserved !== undefined && value === undefined) this.#unreservedInFlight += slot.inFlight;
    this.#reservedTotal = total;
    if (value === undefined) delete slot.reserved;
    else slot.reserved = value;
  }
}
