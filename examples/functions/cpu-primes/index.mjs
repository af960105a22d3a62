// A CPU-bound function: counts the primes below a fixed limit (event.limit, default 2,000,000) by
// trial division, and returns how long that took. Its duration scales with the CPU share the memory
// setting buys, which is what a memory sweep measures.
export const handler = async (event) => {
  const limit = event?.limit ?? 2_000_000;
  const started = performance.now();
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return { limit, primes: count, elapsedMs: performance.now() - started };
};
