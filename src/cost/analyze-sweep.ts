/**
 * A finished sweep's results.json → its `sweep` section (pure): settings merged, priced at each
 * requested architecture, compared with the fastest, and the recommendation.
 */
import type { Results } from '../metrics/results-schema.js';
import type { SweepResults } from '../metrics/sweep-schema.js';
import type { SweepOrderOptions } from '../scenario/sweep-order.js';
import { type Architecture, DEFAULT_PRICES, type PriceTable } from './prices.js';
import { type RecommendOptions, recommend, SWEEP_ALPHA } from './recommend.js';
import { settingsOf, sweptFunction } from './sweep-settings.js';

/** The recommendation's options (its seed is the run's), and what the analysis itself needs. */
export interface SweepAnalysisOptions extends Omit<RecommendOptions, 'seed'> {
  /** Share of failed invocations above which a setting is failed; default 0.01. */
  maxErrorRate?: number;
  architectures?: Architecture[];
  prices?: PriceTable;
  /** The function whose memory was swept; default the one whose memory varies. */
  functionName?: string;
  schedule: SweepOrderOptions;
}

/** The sweep section for a run's results; undefined when the run has no function to analyse. */
export function analyzeSweep(results: Results, options: SweepAnalysisOptions): SweepResults | undefined {
  const functionName = options.functionName ?? sweptFunction(results);
  if (functionName === undefined) return undefined;
  const architectures = options.architectures?.length
    ? options.architectures
    : (['x86_64'] as Architecture[]);
  const prices = options.prices ?? DEFAULT_PRICES;
  const maxErrorRate = options.maxErrorRate ?? 0.01;
  const alpha = options.alpha ?? SWEEP_ALPHA;
  const data = settingsOf(results, { functionName, architectures, prices, maxErrorRate });
  const { settings, recommendation } = recommend(data, { ...options, alpha, seed: results.run.seed });
  const notes: string[] = [];
  if (results.run.target.kind === 'local' && architectures.includes('arm64')) {
    notes.push(
      'arm64 speed cannot be emulated locally: the arm64 costs price the durations measured on this machine at arm64 rates',
    );
  }
  if (results.run.target.kind === 'local') {
    notes.push(
      `CPU share per setting enforced by ${results.run.target.cpuLimiter ?? 'an unknown limiter'} (memory/1769 of a core)`,
    );
  }
  if (results.run.harness.saturated)
    notes.push('the harness was saturated at times: latencies may include its own delay');
  if (options.schedule.repeat > 1)
    notes.push(
      `repeats: ${options.percentile} of each of ${options.schedule.repeat} sweeps in the repeats column`,
    );
  const out: SweepResults = {
    functionName,
    strategy: options.strategy,
    percentile: options.percentile,
    alpha,
    constraints: {
      ...(options.maxLatency === undefined ? {} : { maxLatency: options.maxLatency }),
      ...(options.maxCostPerMillion === undefined ? {} : { maxCostPerMillion: options.maxCostPerMillion }),
      maxErrorRate,
    },
    order: options.schedule.order,
    repeat: options.schedule.repeat,
    slices: options.schedule.order === 'sequential' ? 1 : options.schedule.slices,
    coldStarts: options.schedule.coldStarts,
    architectures,
    prices: { source: prices.source, date: prices.date, region: prices.region, currency: prices.currency },
    settings,
    notes,
  };
  if (options.strategy === 'balanced') out.weight = options.weight ?? 0.5;
  if (recommendation) out.recommendation = recommendation;
  return out;
}
