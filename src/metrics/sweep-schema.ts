/**
 * The `sweep` section of results.json (optional; written by `lambench sweep`): per memory setting
 * the figures the sweep table prints, the cost model's figures, the significance test against the
 * fastest setting, and the recommendation with its evidence. Documented in docs/results-schema.md.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

export const PERCENTILES = ['p50', 'p90', 'p99'] as const;
export const STRATEGIES = ['cost', 'speed', 'balanced'] as const;

export const SweepCostSchema = z.object({
  architecture: z.enum(['x86_64', 'arm64']),
  totalUsd: z.number(),
  perInvocationUsd: z.number(),
  perMillionUsd: z.number(),
  computeUsd: z.number(),
  initUsd: z.number(),
  requestUsd: z.number(),
});

export const SweepComparisonSchema = z.object({
  /** The setting compared with (the fastest), MB. */
  againstMemoryMB: z.number(),
  verdict: z.enum(['higher', 'lower', 'indistinguishable', 'too-few-samples']),
  pValue: z.number(),
  /** Rank-biserial correlation: +1 every sample slower than the fastest's, 0 no tendency. */
  rankBiserial: z.number(),
  samples: count,
  againstSamples: count,
  /** This setting's percentile minus the fastest's, µs, with its bootstrap interval. */
  diffUs: z.number().optional(),
  diffLowUs: z.number().optional(),
  diffHighUs: z.number().optional(),
  confidence: z.number().optional(),
});

export const SweepSettingSchema = z.object({
  functionName: z.string(),
  memoryMB: z.number(),
  /** Labels of the points (slices, repeats, cold starts) merged into this setting. */
  points: z.array(z.string()),
  failed: z.boolean(),
  /** Why it failed, or which constraint it violates. */
  reason: z.string().optional(),
  invocations: count,
  errors: count,
  errorsByType: z.record(z.string(), count),
  /** Warm function duration percentiles, µs. */
  warm: z.object({ count, p50: z.number(), p90: z.number(), p99: z.number() }),
  /** Cold starts / invocations under the scenario's load (forced cold starts excluded). */
  coldRate: z.number(),
  coldStarts: count,
  forcedColdStarts: count,
  /** Cold client latency p50 and INIT duration p50, µs; absent without cold starts. */
  coldLatencyP50Us: z.number().optional(),
  initP50Us: z.number().optional(),
  /** Highest Max Memory Used seen, MB. */
  maxMemoryUsedMB: z.number(),
  /** One per architecture priced; the first is the one the recommendation uses. */
  costs: z.array(SweepCostSchema),
  /** The chosen percentile in each repeat (µs): the spread between repeats. */
  repeats: z.array(z.number()),
  comparison: SweepComparisonSchema.optional(),
  meetsConstraints: z.boolean(),
  pareto: z.boolean(),
  verdict: z.string(),
});

export const SweepSchema = z.object({
  functionName: z.string(),
  strategy: z.enum(STRATEGIES),
  percentile: z.enum(PERCENTILES),
  /** For balanced: weight of cost (1) against speed (0). */
  weight: z.number().optional(),
  alpha: z.number(),
  constraints: z.object({
    maxLatency: z.object({ percentile: z.enum(PERCENTILES), us: z.number() }).optional(),
    maxCostPerMillion: z.number().optional(),
    maxErrorRate: z.number(),
  }),
  order: z.enum(['sequential', 'interleaved', 'random']),
  repeat: count,
  slices: count,
  coldStarts: count,
  architectures: z.array(z.enum(['x86_64', 'arm64'])),
  prices: z.object({ source: z.string(), date: z.string(), region: z.string(), currency: z.string() }),
  settings: z.array(SweepSettingSchema),
  recommendation: z
    .object({
      memoryMB: z.number(),
      /** One line: what is recommended and why, with the evidence. */
      summary: z.string(),
      fastestMemoryMB: z.number(),
      perMillionUsd: z.number(),
      percentileUs: z.number(),
    })
    .optional(),
  notes: z.array(z.string()),
});

export type SweepResults = z.infer<typeof SweepSchema>;
export type SweepSetting = z.infer<typeof SweepSettingSchema>;
export type SweepComparison = z.infer<typeof SweepComparisonSchema>;
export type SweepCost = z.infer<typeof SweepCostSchema>;
export type Percentile = (typeof PERCENTILES)[number];
export type Strategy = (typeof STRATEGIES)[number];
