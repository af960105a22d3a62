/**
 * The harness watching itself: event-loop delay, its own CPU use, and stalls (stretches when it did
 * not run at all: frozen, descheduled, or one long synchronous block), so a slow harness is never
 * mistaken for a slow function.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** p99 event-loop delay above this means timers (arrivals) fire late enough to skew latency. */
export const SATURATION_LOOP_DELAY_MS = 10;
/** CPU share of one core above which the harness is the bottleneck (k6/Artillery warn near 80%). */
export const SATURATION_CPU_PERCENT = 90;
/** A gap this long (ms) beyond the heartbeat's period is a stall: the harness did not run. */
export const STALL_MS = 100;

/** Sampling timer of monitorEventLoopDelay, ms. */
const RESOLUTION_MS = 10;
/** The stall detector's period, ms: fine enough to date a stall, cheap enough to leave on (40 timers/s). */
const HEARTBEAT_MS = 25;

export interface HarnessSample {
  /** Wall-clock epoch ms at the end of the sample. */
  atEpochMs: number;
  intervalMs: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** CPU time (user + system) over wall time, as a percentage of one core. */
  cpuPercent: number;
  /** How much longer than nominal this sample's wall interval was, when it stretched by a stall. */
  stalledMs?: number;
  saturated: boolean;
  reason?: string;
}

/** A stretch of time in which the harness did not run. */
export interface HarnessStall {
  /** Wall-clock epoch ms when the harness stopped running (its last heartbeat, plus the period). */
  atEpochMs: number;
  durationMs: number;
}

export interface HarnessMonitor {
  samples(): readonly HarnessSample[];
  stalls(): readonly HarnessStall[];
  /** Ends the current sample now (at a point's start, so no sample straddles set-up and load). */
  cut(): void;
  /** Takes a last sample and stops sampling. */
  stop(): readonly HarnessSample[];
}

/** The saturation verdict for one sample, with the reason when saturated. */
export function judgeSaturation(
  loopDelayP99Ms: number,
  cpuPercent: number,
  stalledMs = 0,
): { saturated: boolean; reason?: string } {
  const reasons: string[] = [];
  if (stalledMs >= STALL_MS) reasons.push(`harness stalled: sample ran ${Math.round(stalledMs)} ms long`);
  if (loopDelayP99Ms > SATURATION_LOOP_DELAY_MS) {
    reasons.push(`event-loop delay p99 ${loopDelayP99Ms.toFixed(1)} ms > ${SATURATION_LOOP_DELAY_MS} ms`);
  }
  if (cpuPercent > SATURATION_CPU_PERCENT) {
    reasons.push(`harness CPU ${cpuPercent.toFixed(0)}% > ${SATURATION_CPU_PERCENT}% of a core`);
  }
  return reasons.length > 0 ? { saturated: true, reason: reasons.join('; ') } : { saturated: false };
}

/** Starts sampling every `intervalMs`; the timers do not keep the process alive. */
export function startHarnessMonitor(options: { intervalMs: number }): HarnessMonitor {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const samples: HarnessSample[] = [];
  const stalls: HarnessStall[] = [];
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  let lastBeat = lastAt;
  /** The heartbeat's worst lateness in the current sample, ms. */
  let beatDelayMaxMs = 0;

  // A timer that fires late by far more than any busy loop would make it is a harness that was not
  // running: SIGSTOP, a host that did not schedule it, a synchronous block, a long GC pause.
  const beat = (): void => {
    const now = performance.now();
    const gap = now - lastBeat - HEARTBEAT_MS;
    if (gap > beatDelayMaxMs) beatDelayMaxMs = gap;
    if (gap >= STALL_MS) stalls.push({ atEpochMs: Date.now() - gap, durationMs: gap });
    lastBeat = now;
  };

  const sample = (): void => {
    beat();
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu); // µs since lastCpu
    const wallMs = now - lastAt;
    if (wallMs <= 0) return;
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
    // The histogram holds the time between its sampling timer's runs (ns), resolution included:
    // an idle loop reads ~10 ms. The delay is what exceeds the resolution.
    const toMs = (ns: number): number => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - RESOLUTION_MS) : 0);
    const p99 = delay.count > 0 ? toMs(delay.percentile(99)) : 0;
    const stretch = wallMs - options.intervalMs;
    const stalledMs = stretch >= STALL_MS ? stretch : 0;
    samples.push({
      atEpochMs: Date.now(),
      intervalMs: wallMs,
      loopDelayP50Ms: delay.count > 0 ? toMs(delay.percentile(50)) : 0,
      loopDelayP99Ms: p99,
      // The histogram loses a delay that spans its reset (a sample taken right after a block);
      // the heartbeat's own lateness does not.
      loopDelayMaxMs: Math.max(delay.count > 0 ? toMs(delay.max) : 0, beatDelayMaxMs),
      cpuPercent,
      ...(stalledMs > 0 ? { stalledMs } : {}),
      ...judgeSaturation(p99, cpuPercent, stalledMs),
    });
    delay.reset();
    beatDelayMaxMs = 0;
    lastCpu = process.cpuUsage();
    lastAt = now;
  };

  const timer = setInterval(sample, options.intervalMs);
  timer.unref();
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  heartbeat.unref();
  let stopped = false;
  return {
    samples: () => samples,
    stalls: () => stalls,
    cut() {
      if (!stopped) {
        sample();
        timer.refresh();
      }
    },
    stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        clearInterval(heartbeat);
        sample();
        delay.disable();
      }
      return samples;
    },
  };
}
