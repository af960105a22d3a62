/**
 * lambench as a library: the small surface its Artillery engine (packages/artillery-engine-lambench)
 * is built on. Everything else is internal and may change without notice.
 */

/** The Artillery engine's session: scenario, target, event factories and delivery routes. */
export {
  type EngineConfig,
  type EngineSession,
  openEngineSession,
  parseEngineConfig,
} from './artillery/engine-session.js';
/** The metric names the engine emits and the converter reads back. */
export {
  INVOKE_RATE,
  parseSeriesMetric,
  SERIES_COUNTERS,
  SERIES_HISTOGRAMS,
  seriesMetric,
} from './artillery/metric-names.js';
export { LAMBENCH_VERSION } from './core/version.js';
/** Reading and writing results.json, the contract between a run and its readers. */
export { parseResults, type Results, readResults } from './metrics/index.js';
