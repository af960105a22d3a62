// Open-model scheduler benchmark: constant-rate arrivals on the real clock, each "invocation" a
// 2 ms timer, every arrival recorded into the recorder, with the harness monitor watching
// event-loop delay and CPU. No network. Prints schedule lag and harness saturation per rate.
// Part 2 times sparse arrivals (gaps of 10 ms or more, where the scheduler uses the precise timer)
// three ways in the same run: plain timers, the earlier fixed 1.5 ms spin, and the adaptive spin
// now in use — schedule lag against CPU per arrival.
// Run: npm run bench -- scheduler
import { spinMargin, systemClock } from '../dist/core/clock.js';
import { arrivalOffsets } from '../dist/load/arrivals.js';
import { startHarnessMonitor } from '../dist/load/harness-monitor.js';
import { runOpenModel } from '../dist/load/open-model.js';
import { createRecorder } from '../dist/metrics/recorder.js';
import { row } from './lib/rows.mjs';

export const about = 'the open-model scheduler alone on the real clock';

const payload = new Uint8Array();
const key = { source: 'bench', functionName: 'noop', qualifier: '$LATEST', memoryMB: 128 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(rate, DURATION_MS) {
  const clock = systemClock;
  const recorder = createRecorder({ clock });
  const monitor = startHarnessMonitor({ intervalMs: 1000 });
  const started = clock.now();
  const model = runOpenModel({
    offsets: arrivalOffsets([{ kind: 'constant', durationMs: DURATION_MS, rate }], {
      distribution: 'uniform',
      seed: 1,
    }),
    clock,
    maxInFlight: 10_000,
    onArrival: async (id, intendedMs) => {
      recorder.arrival(key, id, intendedMs);
      const startMs = clock.now();
      await sleep(2);
      const endMs = clock.now();
      const result = {
        status: 'ok',
        payload,
        callLatencyUs: (endMs - startMs) * 1000,
        cold: false,
        durationMs: 1,
      };
      recorder.attempt({ key, eventId: id, attempt: 1, intendedStartMs: intendedMs, startMs, endMs, result });
      recorder.outcome({
        key,
        eventId: id,
        bucket: 'succeeded',
        attempts: 1,
        intendedStartMs: intendedMs,
        endMs,
      });
    },
    onDropped: (id, intendedMs) => {
      recorder.arrival(key, id, intendedMs);
      recorder.outcome({
        key,
        eventId: id,
        bucket: 'dropped',
        attempts: 0,
        intendedStartMs: intendedMs,
        endMs: intendedMs,
      });
    },
  });
  const stats = await model.done;
  const wallS = (clock.now() - started) / 1000;
  const samples = monitor.stop();
  const point = recorder.finish();
  const warm = point.series[0]?.histograms.clientLatencyUs.warm?.summary;
  const worst = (f) => Math.max(...samples.map(f));
  console.log(
    `${String(rate).padStart(6)}/s: ${stats.started} started in ${wallS.toFixed(2)} s, dropped ${stats.dropped}, ` +
      `lag mean ${stats.meanLagMs.toFixed(2)} ms max ${stats.maxLagMs.toFixed(1)} ms, >10 ms late ${stats.lateOver10Ms} | ` +
      `client latency p50 ${((warm?.p50 ?? 0) / 1000).toFixed(2)} ms p99 ${((warm?.p99 ?? 0) / 1000).toFixed(2)} ms | ` +
      `loop delay p99 <= ${worst((s) => s.loopDelayP99Ms).toFixed(1)} ms, CPU <= ${worst((s) => s.cpuPercent).toFixed(0)}%, ` +
      `saturated samples ${samples.filter((s) => s.saturated).length}/${samples.length}`,
  );
  const detail = `${stats.dropped} dropped, ${stats.lateOver10Ms} > 10 ms late, max lag ${stats.maxLagMs.toFixed(1)} ms, CPU <= ${worst((s) => s.cpuPercent).toFixed(0)}%`;
  return row(`scheduler.lag-mean.${rate}`, `mean schedule lag at ${rate}/s`, stats.meanLagMs, 'ms', detail);
}

/** A clock whose precise timer spins a fixed window before each due time (the earlier design). */
function fixedSpinClock(spinMs) {
  return {
    ...systemClock,
    setPreciseTimer(ms, fn) {
      const due = performance.now() + ms;
      let cancelled = false;
      let timeout;
      let immediate;
      const spin = () => {
        if (cancelled) return;
        if (performance.now() >= due) fn();
        else immediate = setImmediate(spin);
      };
      if (ms > spinMs) timeout = setTimeout(spin, ms - spinMs);
      else spin();
      return () => {
        cancelled = true;
        clearTimeout(timeout);
        clearImmediate(immediate);
      };
    },
  };
}

/** A clock without a precise timer: every wait is a plain setTimeout. */
const plainClock = { now: systemClock.now, wallNow: systemClock.wallNow, setTimer: systemClock.setTimer };

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Sparse arrivals on one clock: lag of every arrival, and the process's CPU per arrival. */
async function sparseOn(clock, rate, durationMs) {
  const lags = [];
  const cpu0 = process.cpuUsage();
  const model = runOpenModel({
    offsets: arrivalOffsets([{ kind: 'constant', durationMs, rate }], { distribution: 'uniform', seed: 1 }),
    clock,
    maxInFlight: 10_000,
    onArrival: async (_id, intendedMs) => {
      lags.push(clock.now() - intendedMs);
      await sleep(2);
    },
    onDropped: () => {},
  });
  await model.done;
  const cpu = process.cpuUsage(cpu0);
  lags.sort((a, b) => a - b);
  return {
    p50: quantile(lags, 0.5),
    p99: quantile(lags, 0.99),
    max: lags.at(-1) ?? 0,
    cpuMsPerArrival: (cpu.user + cpu.system) / 1000 / Math.max(1, lags.length),
  };
}

async function sparse(rates, durationMs) {
  console.log(
    `\nsparse arrivals (precise timer), ${durationMs / 1000} s per rate and clock; lag in ms, CPU = this process per arrival`,
  );
  console.log('  rate/s  clock                lag p50  lag p99  lag max  CPU ms/arrival');
  const rows = [];
  const clocks = [
    ['plain timers', plainClock],
    ['fixed 1.5 ms spin', fixedSpinClock(1.5)],
    ['adaptive spin', systemClock],
  ];
  for (const rate of rates) {
    const results = {};
    for (const [name, clock] of clocks) {
      const r = await sparseOn(clock, rate, durationMs);
      results[name] = r;
      console.log(
        `  ${String(rate).padStart(6)}  ${name.padEnd(19)}  ${r.p50.toFixed(3).padStart(7)}  ${r.p99.toFixed(3).padStart(7)}  ${r.max.toFixed(2).padStart(7)}  ${r.cpuMsPerArrival.toFixed(3).padStart(14)}`,
      );
    }
    const a = results['adaptive spin'];
    const f = results['fixed 1.5 ms spin'];
    const detail = `lag p50 ${a.p50.toFixed(3)} ms (fixed spin ${f.p50.toFixed(3)}, plain ${results['plain timers'].p50.toFixed(3)}), spin margin ${spinMargin.value.toFixed(2)} ms`;
    rows.push(
      row(
        `scheduler.precise-cpu.${rate}`,
        `CPU per sparse arrival at ${rate}/s`,
        a.cpuMsPerArrival,
        'ms',
        detail,
      ),
      row(
        `scheduler.precise-cpu-ratio.${rate}`,
        `CPU per sparse arrival at ${rate}/s, adaptive ÷ fixed 1.5 ms spin`,
        a.cpuMsPerArrival / f.cpuMsPerArrival,
        '×',
        'same run',
      ),
    );
  }
  return rows;
}

export async function run(_args, { smoke } = { smoke: false }) {
  // Smoke: one rate for half a second.
  const durationMs = smoke ? 500 : 5000;
  const rates = smoke ? [1000] : [1000, 2000, 5000];
  console.log(`node ${process.version}, ${durationMs / 1000} s per rate, invocation = 2 ms timer`);
  const rows = [];
  for (const rate of rates) rows.push(await measure(rate, durationMs));
  rows.push(...(await sparse(smoke ? [50] : [20, 100], smoke ? 500 : 5000)));
  return rows;
}
