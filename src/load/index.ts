/** The load engine's public surface: phases, arrival planning, schedulers, harness monitor. */
export { arrivalOffsets } from './arrivals.js';
export { runClosedModel } from './closed-model.js';
export {
  type HarnessMonitor,
  type HarnessSample,
  type HarnessStall,
  judgeSaturation,
  SATURATION_CPU_PERCENT,
  SATURATION_LOOP_DELAY_MS,
  STALL_MS,
  startHarnessMonitor,
} from './harness-monitor.js';
export { LATE_TOLERANCE_MS, runOpenModel } from './open-model.js';
export { assertValidPhases, expectedArrivals, totalDurationMs } from './phases.js';
export * from './types.js';
