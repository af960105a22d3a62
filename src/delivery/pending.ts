/**
 * Tracks work still owed to the ledger so settled() can wait for it. Each tracked promise must
 * never reject (deliveries turn every failure into an outcome).
 */
export class Pending {
  #count = 0;
  #waiters: Array<() => void> = [];

  /** Counts `work` as pending until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#count += 1;
    const done = () => {
      this.#count -= 1;
      if (this.#count === 0) this.#wake();
    };
    work.then(done, done);
    return work;
  }

  get size(): number {
    return this.#count;
  }

  /** Resolves once nothing is pending (immediately when nothing is). */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
