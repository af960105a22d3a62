/**
 * Statistics on recorded HDR histograms (pure, no I/O): is one latency distribution really
 * different from another, and by how much. Histograms come from results.json through
 * `decodeHistogram` / `mergeHistograms` (src/metrics/histogram.ts).
 */
export { type Bins, binsOf } from './bins.js';
export { type BootstrapOptions, bootstrapQuantileDiff, type QuantileDiff } from './bootstrap.js';
export {
  type CompareOptions,
  type Comparison,
  compareDistributions,
  MIN_SAMPLES_FOR_TEST,
  type Verdict,
} from './compare.js';
export { histogramOf } from './decode.js';
export { type MannWhitneyResult, mannWhitneyU } from './mann-whitney.js';
