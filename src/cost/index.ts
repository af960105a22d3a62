/**
 * The Lambda cost model (pure except loadPriceTable): a price table as data, and what a run's
 * series would cost on Lambda at their memory settings.
 */

export { analyzeSweep, type SweepAnalysisOptions } from './analyze-sweep.js';
export { loadPriceTable, parsePriceTable } from './load-prices.js';
export {
  ARCHITECTURES,
  type Architecture,
  type ArchitecturePrices,
  DEFAULT_PRICES,
  type DurationTier,
  FREE_EPHEMERAL_STORAGE_MB,
  type PriceTable,
  tieredDurationUsd,
} from './prices.js';
export { type RecommendOptions, recommend, SWEEP_ALPHA } from './recommend.js';
export {
  type CostInput,
  type CostOptions,
  histogramCost,
  perMillionInvocations,
  perMillionRecords,
  provisionedConcurrencyUsd,
  type SeriesCost,
  seriesCost,
} from './series-cost.js';
export { type SettingData, settingsOf, sweptFunction } from './sweep-settings.js';
