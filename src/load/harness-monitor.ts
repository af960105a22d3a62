/**
 * The harness watching itself: event-loop delay and its own CPU use, sampled at an interval, so
 * a slow harness is never mistaken for a slow function.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** p99 event-loop delay above this means timers (arrivals) fire late enough to skew latency. */
export const SATURATION_LOOP_DELAY_MS = 10;
/** CPU share of one core above which the harness is the bottleneck (k6/Artillery warn near 80%). */
export const SATURATION_CPU_PERCENT = 90;

/** Sampling timer of monitorEventLoopDelay, ms. */
const RESOLUTION_MS = 10;

export interface HarnessSample {
  /** Wall-clock epoch ms at the end of the sample. */
  atEpochMs: number;
  intervalMs: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** CPU time (user + system) over wall time, as a percentage of one core. */
  cpuPercent: number;
  saturated: boolean;
  reason?: string;
}

export interface HarnessMonitor {
  samples(): readonly HarnessSample[];
  /** Takes a last sample and stops sampling. */
  stop(): readonly HarnessSample[];
}

/** The saturation verdict for one sample, with the reason when saturated. */
export function judgeSaturation(
  loopDelayP99Ms: number,
  cpuPercent: number,
): { saturated: boolean; reason?: string } {
  const reasons: string[] = [];
  if (loopDelayP99Ms > SATURATION_LOOP_DELAY_MS) {
    reasons.push(`event-loop delay p99 ${loopDelayP99Ms.toFixed(1)} ms > ${SATURATION_LOOP_DELAY_MS} ms`);
  }
  if (cpuPercent > SATURATION_CPU_PERCENT) {
    reasons.push(`harness CPU ${cpuPercent.toFixed(0)}% > ${SATURATION_CPU_PERCENT}% of a core`);
  }
  return reasons.length > 0 ? { saturated: true, reason: reasons.join('; ') } : { saturated: false };
}

/** Starts sampling every `intervalMs`; the timer does not keep the process alive. */
export function startHarnessMonitor(options: { intervalMs: number }): HarnessMonitor {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const samples: HarnessSample[] = [];
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();

  const sample = (): void => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu); // µs since lastCpu
    const wallMs = now - lastAt;
    if (wallMs <= 0) return;
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
    // The histogram holds the time between its sampling timer's runs (ns), resolution included:
    // an idle loop reads ~10 ms. The delay is what exceeds the resolution.
    const toMs = (ns: number): number => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - RESOLUTION_MS) : 0);
    const p99 = delay.count > 0 ? toMs(delay.percentile(99)) : 0;
    samples.push({
      atEpochMs: Date.now(),
      intervalMs: wallMs,
      loopDelayP50Ms: delay.count > 0 ? toMs(delay.percentile(50)) : 0,
      loopDelayP99Ms: p99,
      loopDelayMaxMs: delay.count > 0 ? toMs(delay.max) : 0,
      cpuPercent,
      ...judgeSaturation(p99, cpuPercent),
    });
    delay.reset();
    lastCpu = process.cpuUsage();
    lastAt = now;
  };

  const timer = setInterval(sample, options.intervalMs);
  timer.unref();
  let stopped = false;
  return {
    samples: () => samples,
    stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        sample();
        delay.disable();
      }
      return samples;
    },
  };
}
