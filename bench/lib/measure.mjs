// Measuring helpers every benchmark shares: closed-loop rate with an HDR latency histogram, medians
// with their spread, and the RSS of a whole process tree (a tool's host plus the processes it spawns).
import { readdirSync, readFileSync } from 'node:fs';
import hdr from 'hdr-histogram-js';

export const elapsedMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/** Median of a list of numbers (NaN for an empty list). */
export function median(xs) {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median with min and max, the form every figure in the suite table takes. */
export function spread(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length };
}

/** A latency histogram in µs, 1 µs to 10 min, 3 significant digits. */
export function latencyHistogram() {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/**
 * Closed loop: `concurrency` callers call `call()` back to back for `seconds`, each latency recorded
 * in µs into `histogram`. Returns calls per second over the window's wall time.
 */
export async function closedLoop(call, { concurrency, seconds, histogram }) {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let count = 0;
  const started = process.hrtime.bigint();
  const caller = async () => {
    while (process.hrtime.bigint() < deadline) {
      const t = process.hrtime.bigint();
      await call();
      histogram?.recordValue(Math.max(1, Number((process.hrtime.bigint() - t) / 1000n)));
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * `n` calls spread over `concurrency` callers, results ignored (warm-up, memory soak); stops early
 * once `maxSeconds` have passed. Resolves to the number of calls made.
 */
export async function callTimes(call, n, concurrency, maxSeconds = Number.POSITIVE_INFINITY) {
  const deadline = performance.now() + maxSeconds * 1000;
  let left = n;
  let done = 0;
  const caller = async () => {
    while (left-- > 0 && performance.now() < deadline) {
      await call();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return done;
}

/**
 * Rate measured in `runs` windows of `seconds` after `warmup` calls: median rate with its spread,
 * p50/p99 in ms over all windows together.
 */
export async function measureRate(call, { concurrency, seconds, runs, warmup }) {
  await callTimes(call, warmup, concurrency);
  const histogram = latencyHistogram();
  const rates = [];
  for (let i = 0; i < runs; i++) rates.push(await closedLoop(call, { concurrency, seconds, histogram }));
  const result = {
    ...spread(rates),
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  };
  histogram.destroy();
  return result;
}

/** Pids of `root` and every process descended from it, read from /proc. */
export function processTree(root) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we listed it.
    }
  }
  const tree = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident set size of one process in bytes (0 when it is gone). */
export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** RSS of a process tree in bytes: the sum over the root and its descendants. */
export function treeRss(root) {
  return processTree(root).reduce((sum, pid) => sum + rssOf(pid), 0);
}
