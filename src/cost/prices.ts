/**
 * Lambda's prices as data: what the cost model multiplies by. The default table is US East
 * (N. Virginia), in USD; `--prices file.json` replaces any part of it for another region or a
 * negotiated rate (see load-prices.ts).
 *
 * Sources (figures as published 2022–2026, gathered 2026-04): aws.amazon.com/lambda/pricing/ and the tiered-pricing announcement
 * (aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/) for duration prices and
 * tier thresholds; the whitepaper "How AWS Pricing Works" for the request price; "AWS Lambda
 * standardizes billing for the INIT phase" (aws.amazon.com/blogs/compute/) for INIT billed on every
 * cold start since 2025-08-01; the pricing page's Provisioned Concurrency section (us-east-1) for
 * provisioned prices. The arm64 third tier is derived (−20% of the first). Re-check against the
 * AWS Price List API before relying on a figure for a budget.
 */

export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** One monthly volume tier of the duration price. */
export interface DurationTier {
  /** Cumulative GB-seconds per month where the tier ends; null for the last, open-ended tier. */
  upToGbSeconds: number | null;
  usdPerGbSecond: number;
}

export interface ArchitecturePrices {
  /** On-demand duration price by monthly volume (per architecture, region and account), ascending. */
  durationTiers: DurationTier[];
  /** Provisioned Concurrency: per GB-second configured, whether used or not (billed in 5-minute steps). */
  provisionedUsdPerGbSecond: number;
  /** Duration of invokes served by provisioned environments, per GB-second (no volume tiers). */
  provisionedDurationUsdPerGbSecond: number;
}

export interface PriceTable {
  /** Where the figures come from, and when they were read: printed with every cost. */
  source: string;
  date: string;
  region: string;
  currency: string;
  /** Per request (invocation), both architectures. */
  requestUsd: number;
  /** Ephemeral storage configured above the free 512 MB, per GB-second of billed duration. */
  ephemeralStorageUsdPerGbSecond: number;
  /** ISO date from which INIT is billed on every cold start; before it, ZIP + managed runtimes got it free. */
  initBilledSince: string;
  architectures: Record<Architecture, ArchitecturePrices>;
}

/** Storage up to this size is included in the price. */
export const FREE_EPHEMERAL_STORAGE_MB = 512;

/** The built-in table: US East (N. Virginia), USD. */
export const DEFAULT_PRICES: PriceTable = {
  source:
    'aws.amazon.com/lambda/pricing (us-east-1); tiers: AWS Compute Blog "Introducing tiered pricing for AWS Lambda"; INIT: AWS Compute Blog "AWS Lambda standardizes billing for the INIT phase"',
  date: '2026-04-13',
  region: 'us-east-1',
  currency: 'USD',
  requestUsd: 0.2 / 1_000_000,
  ephemeralStorageUsdPerGbSecond: 0.0000000309,
  initBilledSince: '2025-08-01',
  architectures: {
    x86_64: {
      durationTiers: [
        { upToGbSeconds: 6e9, usdPerGbSecond: 0.0000166667 },
        { upToGbSeconds: 15e9, usdPerGbSecond: 0.000015 },
        { upToGbSeconds: null, usdPerGbSecond: 0.0000133334 },
      ],
      provisionedUsdPerGbSecond: 0.0000041667,
      provisionedDurationUsdPerGbSecond: 0.0000097222,
    },
    arm64: {
      durationTiers: [
        { upToGbSeconds: 7.5e9, usdPerGbSecond: 0.0000133334 },
        { upToGbSeconds: 18.75e9, usdPerGbSecond: 0.0000120001 },
        { upToGbSeconds: null, usdPerGbSecond: 0.0000106667 },
      ],
      provisionedUsdPerGbSecond: 0.0000033334,
      provisionedDurationUsdPerGbSecond: 0.0000077778,
    },
  },
};

/**
 * The duration charge for `gbSeconds` used this month after `alreadyUsedGbSeconds` (the rest of
 * the account's usage on that architecture in the region): each GB-second at the tier it falls in.
 */
export function tieredDurationUsd(
  tiers: readonly DurationTier[],
  gbSeconds: number,
  alreadyUsedGbSeconds = 0,
): number {
  let usd = 0;
  let from = alreadyUsedGbSeconds;
  const to = alreadyUsedGbSeconds + gbSeconds;
  for (const tier of tiers) {
    if (from >= to) break;
    const end = tier.upToGbSeconds ?? Number.POSITIVE_INFINITY;
    if (from < end) {
      const inTier = Math.min(to, end) - from;
      usd += inTier * tier.usdPerGbSecond;
      from += inTier;
    }
  }
  return usd;
}
