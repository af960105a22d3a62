/**
 * What one series of a run would cost on Lambda: requests plus GB-seconds of billed duration,
 * summed over the billed-duration histograms (cold and warm, so the tail and the cold starts are
 * paid for, not the mean of warm calls), INIT on cold starts, and ephemeral storage over 512 MB.
 *
 * Sums come from the histograms (mean × count, each bucket at its middle value): within 0.05% of
 * the sum of the raw values at the histograms' 3 significant digits.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { SeriesResults } from '../metrics/results-schema.js';
import { histogramOf } from '../stats/decode.js';
import {
  type Architecture,
  DEFAULT_PRICES,
  FREE_EPHEMERAL_STORAGE_MB,
  type PriceTable,
  tieredDurationUsd,
} from './prices.js';

export interface CostOptions {
  /** Default x86_64. */
  architecture?: Architecture;
  /** Default DEFAULT_PRICES (us-east-1). */
  prices?: PriceTable;
  /** Configured ephemeral storage (/tmp), MB; default 512 (free). */
  ephemeralStorageMB?: number;
  /** GB-seconds the account already used this month on this architecture: where the tiers start. Default 0. */
  alreadyUsedGbSeconds?: number;
  /**
   * Whether the recorded cold-start billed durations already contain INIT (true for REPORT lines
   * since 2025-08-01, and for the local emulator). Default true.
   */
  billedIncludesInit?: boolean;
  /** Whether INIT is charged (true since 2025-08-01; false prices as before for ZIP + managed runtimes). Default true. */
  initBilled?: boolean;
}

export interface SeriesCost {
  architecture: Architecture;
  memoryMB: number;
  /** Billed requests: invocations that reached the function (throttles are not billed). */
  invocations: number;
  /** Invocations with a billed duration recorded (the duration charges cover these). */
  billedSamples: number;
  /** GB-seconds charged (duration plus INIT when billed). */
  gbSeconds: number;
  /** Duration excluding INIT. */
  computeUsd: number;
  /** INIT on cold starts. */
  initUsd: number;
  requestUsd: number;
  ephemeralStorageUsd: number;
  totalUsd: number;
  /** totalUsd / invocations; 0 when there were none. */
  perInvocationUsd: number;
  perMillionInvocationsUsd: number;
}

/** The cost of one results.json series at its memory setting. */
export function seriesCost(series: SeriesResults, options: CostOptions = {}): SeriesCost {
  const billed = series.histograms.billedDurationUs;
  return histogramCost(
    {
      memoryMB: series.key.memoryMB,
      invocations: series.counters.invocations,
      billedUs: histogramOf(billed.cold, billed.warm),
      initUs: histogramOf(series.histograms.initDurationUs),
    },
    options,
  );
}

/** What seriesCost reads from a series, for callers that hold histograms instead. */
export interface CostInput {
  memoryMB: number;
  invocations: number;
  /** Billed duration of each invocation, µs. */
  billedUs: Histogram;
  /** INIT duration of each cold start, µs. */
  initUs: Histogram;
}

/** The cost of invocations given as billed-duration and init histograms (µs). */
export function histogramCost(input: CostInput, options: CostOptions = {}): SeriesCost {
  const architecture = options.architecture ?? 'x86_64';
  const prices = options.prices ?? DEFAULT_PRICES;
  const gb = input.memoryMB / 1024;
  const billedSeconds = sumUs(input.billedUs) / 1e6;
  const initSeconds = sumUs(input.initUs) / 1e6;
  const handlerSeconds = Math.max(
    0,
    billedSeconds - ((options.billedIncludesInit ?? true) ? initSeconds : 0),
  );
  const chargedInitSeconds = (options.initBilled ?? true) ? initSeconds : 0;
  const gbSeconds = gb * (handlerSeconds + chargedInitSeconds);
  const durationUsd = tieredDurationUsd(
    prices.architectures[architecture].durationTiers,
    gbSeconds,
    options.alreadyUsedGbSeconds ?? 0,
  );
  // Tiers price the month's GB-seconds as a whole; INIT takes its share of that charge.
  const initUsd = gbSeconds > 0 ? (durationUsd * gb * chargedInitSeconds) / gbSeconds : 0;
  const extraStorageGb =
    Math.max(0, (options.ephemeralStorageMB ?? FREE_EPHEMERAL_STORAGE_MB) - FREE_EPHEMERAL_STORAGE_MB) / 1024;
  const ephemeralStorageUsd =
    extraStorageGb * (handlerSeconds + chargedInitSeconds) * prices.ephemeralStorageUsdPerGbSecond;
  const requestUsd = input.invocations * prices.requestUsd;
  const totalUsd = durationUsd + requestUsd + ephemeralStorageUsd;
  const perInvocationUsd = input.invocations > 0 ? totalUsd / input.invocations : 0;
  return {
    architecture,
    memoryMB: input.memoryMB,
    invocations: input.invocations,
    billedSamples: input.billedUs.totalCount,
    gbSeconds,
    computeUsd: durationUsd - initUsd,
    initUsd,
    requestUsd,
    ephemeralStorageUsd,
    totalUsd,
    perInvocationUsd,
    perMillionInvocationsUsd: perInvocationUsd * 1e6,
  };
}

/**
 * Cost per 1M invocations over several series (default prices: us-east-1 x86_64): requests plus
 * billed GB-seconds, INIT included; undefined without invocations.
 */
export function perMillionInvocations(series: readonly SeriesResults[]): number | undefined {
  let usd = 0;
  let invocations = 0;
  for (const s of series) {
    if (s.counters.invocations === 0) continue;
    const cost = seriesCost(s);
    usd += cost.totalUsd;
    invocations += cost.invocations;
  }
  return invocations > 0 ? (usd / invocations) * 1e6 : undefined;
}

/** Cost per million records for stream and queue mappings, where one invocation carries a batch. */
export function perMillionRecords(cost: Pick<SeriesCost, 'totalUsd'>, records: number): number {
  return records > 0 ? (cost.totalUsd / records) * 1e6 : 0;
}

/**
 * Provisioned Concurrency's standing charge: `environments` configured at `memoryMB` for
 * `seconds`, billed in 5-minute steps (rounded up) whether or not they serve invokes.
 */
export function provisionedConcurrencyUsd(
  memoryMB: number,
  environments: number,
  seconds: number,
  options: Pick<CostOptions, 'architecture' | 'prices'> = {},
): number {
  const prices = options.prices ?? DEFAULT_PRICES;
  const billedSeconds = Math.ceil(seconds / 300) * 300;
  return (
    (memoryMB / 1024) *
    environments *
    billedSeconds *
    prices.architectures[options.architecture ?? 'x86_64'].provisionedUsdPerGbSecond
  );
}

function sumUs(histogram: Histogram): number {
  return histogram.totalCount === 0 ? 0 : histogram.mean * histogram.totalCount;
}
