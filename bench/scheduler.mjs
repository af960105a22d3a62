// Open-model scheduler benchmark: constant-rate arrivals on the real clock, each "invocation" a
// 2 ms timer, every arrival recorded into the recorder, with the harness monitor watching
// event-loop delay and CPU. No network. Prints schedule lag and harness saturation per rate.
// Run: npm run bench -- scheduler
import { systemClock } from '../dist/core/clock.js';
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

export async function run(_args, { smoke } = { smoke: false }) {
  // Smoke: one rate for half a second.
  const durationMs = smoke ? 500 : 5000;
  const rates = smoke ? [1000] : [1000, 2000, 5000];
  console.log(`node ${process.version}, ${durationMs / 1000} s per rate, invocation = 2 ms timer`);
  const rows = [];
  for (const rate of rates) rows.push(await measure(rate, durationMs));
  return rows;
}
