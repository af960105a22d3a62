/** The metrics module's public surface: recorder, histograms, results file. */
export {
  createHistogram,
  decodeHistogram,
  type EncodedHistogram,
  encodeHistogram,
  type HistogramSummary,
  MAX_LATENCY_US,
  mergeHistograms,
  msToUs,
  summarizeHistogram,
} from './histogram.js';
export * from './logs-schema.js';
export {
  createRecorder,
  LedgerImbalanceError,
  type LiveSeries,
  type Recorder,
  type RecorderOptions,
} from './recorder.js';
export { assembleResults, harnessSection, machineInfo } from './results.js';
export { parseResults, RESULTS_FILE_NAME, readResults, writeResults } from './results-file.js';
export * from './results-schema.js';
export * from './types.js';
