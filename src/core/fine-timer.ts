/**
 * Sub-millisecond timers without a spin: a worker thread sleeps on a futex (Atomics.wait, whose
 * timeout has microsecond resolution) until the earliest due time, then wakes this thread with a
 * message. Node's own timers count whole milliseconds: arrivals 0.67 ms apart fired on them start
 * about 0.55 ms after their time at the median (1,500/s on a 2-vCPU VM), which was most of the
 * harness overhead; through the worker, 0.15 ms, for about a tenth of a core at 1,500-3,000
 * wake-ups a second (the same VM; bench/README.md "harness").
 */
import { Worker } from 'node:worker_threads';

/** The sleeper: waits until `due` (ms on the shared monotonic clock), posts the generation it fired. */
const SLEEPER = `
const { parentPort, workerData } = require('node:worker_threads');
const gen = new Int32Array(workerData, 0, 1);
const due = new Float64Array(workerData, 8, 1);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
let fired = -1;
for (;;) {
  const g = Atomics.load(gen, 0);
  if (g === fired || due[0] === 0) { Atomics.wait(gen, 0, g); continue; }
  const wait = due[0] - nowMs();
  if (wait > 0) { Atomics.wait(gen, 0, g, wait); continue; }
  fired = g;
  parentPort.postMessage(g);
}
`;

/** Milliseconds on the monotonic clock both threads read. */
const hrNowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

interface Entry {
  dueMs: number;
  fn: () => void;
}

/** Timers served by one sleeping worker thread. */
export class FineTimers {
  readonly #worker: Worker;
  readonly #gen: Int32Array;
  readonly #due: Float64Array;
  /** Pending timers, earliest first (one or two per load source: a linear insert is enough). */
  readonly #entries: Entry[] = [];
  #armed = 0;
  /**
   * False until the worker thread runs: starting it takes tens of milliseconds (more on a busy
   * machine), and a timer left to it meanwhile would fire that late. Until then Node's timers serve.
   */
  #online = false;
  /** Resolves once the worker thread runs (tests wait for it to exercise the worker's path). */
  readonly ready: Promise<void>;
  /** True while callbacks run: the timers they schedule are armed once, after the last. */
  #firing = false;

  constructor() {
    const shared = new SharedArrayBuffer(16);
    this.#gen = new Int32Array(shared, 0, 1);
    this.#due = new Float64Array(shared, 8, 1);
    this.#worker = new Worker(SLEEPER, { eval: true, workerData: shared });
    this.#worker.on('message', (g: number) => {
      if (g === this.#armed) this.#fire();
    });
    this.ready = new Promise((resolve) =>
      this.#worker.once('online', () => {
        this.#online = true;
        resolve();
      }),
    );
    this.#worker.unref();
  }

  /** Runs `fn` once, `ms` from now, never before; returns a cancel function. */
  schedule(ms: number, fn: () => void): () => void {
    if (!this.#online) return coarseTimer(hrNowMs() + Math.max(0, ms), fn);
    const entry: Entry = { dueMs: hrNowMs() + Math.max(0, ms), fn };
    let at = this.#entries.findIndex((e) => e.dueMs > entry.dueMs);
    if (at < 0) at = this.#entries.length;
    this.#entries.splice(at, 0, entry);
    if (at === 0 && !this.#firing) this.#arm();
    return () => {
      const i = this.#entries.indexOf(entry);
      if (i < 0) return;
      this.#entries.splice(i, 1);
      if (i === 0 && !this.#firing) this.#arm();
    };
  }

  /** Stops the worker (tests; a process exiting stops it anyway). */
  close(): Promise<number> {
    this.#entries.length = 0;
    return this.#worker.terminate();
  }

  #fire(): void {
    const now = hrNowMs();
    this.#firing = true;
    try {
      while (this.#entries.length > 0 && (this.#entries[0] as Entry).dueMs <= now) {
        (this.#entries.shift() as Entry).fn();
      }
    } finally {
      this.#firing = false;
      this.#arm();
    }
  }

  /** Points the worker at the earliest due time (0: nothing to wait for), waking it to re-read. */
  #arm(): void {
    // A pending timer keeps the process alive, as setTimeout's does; none, and the worker does not.
    if (this.#entries.length > 0) this.#worker.ref();
    else this.#worker.unref();
    this.#due[0] = this.#entries[0]?.dueMs ?? 0;
    this.#armed = Atomics.add(this.#gen, 0, 1) + 1;
    Atomics.notify(this.#gen, 0);
  }
}

/**
 * Node's own timer, made never to fire early: its loop time can be up to a millisecond stale, so
 * it re-arms for whatever is left.
 */
function coarseTimer(dueMs: number, fn: () => void): () => void {
  const tick = (): void => {
    const left = dueMs - hrNowMs();
    if (left > 0) timer = setTimeout(tick, left);
    else fn();
  };
  let timer = setTimeout(tick, dueMs - hrNowMs());
  return () => clearTimeout(timer);
}

let shared: FineTimers | undefined;

/** The process's fine timers, started on first use. */
export function fineTimers(): FineTimers {
  shared ??= new FineTimers();
  return shared;
}
