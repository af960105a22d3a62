// A CPU-bound function: counts the primes below a fixed limit (event.limit, default 2,000,000) by
// trial division, and returns how long that took and how much CPU it used. Its duration scales with
// the CPU share the memory setting buys, which is what a memory sweep measures; elapsed ÷ CPU shows
// the share it got.
export const handler = async (event) => {
  const limit = event?.limit ?? 2_000_000;
  const started = performance.now();
  const cpu = process.cpuUsage();
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
  const used = process.cpuUsage(cpu);
  return { limit, primes: count, elapsedMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
};
