/**
 * The results file (results.json), schema version 1: the contract between a run and everything
 * that reads it (summary, HTML report, compare, CI). Documented field by field in
 * docs/results-schema.md; keep the two in step. Latencies are integer µs; memory is MB.
 */
import { z } from 'zod';
import { LogsResultsSchema, ServiceResultsSchema } from './logs-schema.js';
import { StreamResultsSchema } from './stream-schema.js';
import { SweepSchema } from './sweep-schema.js';
import { LEDGER_BUCKETS } from './types.js';

export const RESULTS_SCHEMA_VERSION = 1;

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

export const HistogramSummarySchema = z.object({
  count,
  min: z.number(),
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
});

export const EncodedHistogramSchema = z.object({
  unit: z.enum(['us', 'MB']),
  encoded: z.string().startsWith('HISTF', { message: 'expected an encoded HdrHistogram ("HISTF…")' }),
  summary: HistogramSummarySchema,
  /**
   * Absent when every value was recorded. "artillery-summary": rebuilt from the quantiles of an
   * Artillery report (run.engine says more); the summary is Artillery's, the rest interpolated.
   */
  approximation: z.enum(['artillery-summary']).optional(),
});

const ColdWarmSchema = z.object({
  cold: EncodedHistogramSchema.optional(),
  warm: EncodedHistogramSchema.optional(),
});

export const SeriesKeySchema = z.object({
  source: z.string(),
  functionName: z.string(),
  qualifier: z.string(),
  memoryMB: z.number(),
});

export const HistogramsSchema = z.object({
  /** Attempts that reached the function: end − intended start. */
  clientLatencyUs: ColdWarmSchema,
  /** Throttled and service-error attempts: end − intended start. */
  rejectedLatencyUs: EncodedHistogramSchema.optional(),
  durationUs: ColdWarmSchema,
  billedDurationUs: ColdWarmSchema,
  initDurationUs: EncodedHistogramSchema.optional(),
  maxMemoryUsedMB: ColdWarmSchema,
  /** Per arrival: final outcome − intended start (arrival to last retry for async sources). */
  endToEndLatencyUs: EncodedHistogramSchema.optional(),
  /** Warm attempts: client latency − function duration, what the harness and platform add. */
  overheadUs: EncodedHistogramSchema.optional(),
});

export const CountersSchema = z.object({
  arrivals: count,
  attempts: count,
  invocations: count,
  coldStarts: count,
  errors: count,
  errorsByType: counts,
  throttles: count,
  retries: count,
  timeouts: count,
  outOfMemory: count,
  serviceErrors: count,
  filtered: count,
  httpStatuses: counts,
  /**
   * API Gateway: invocations still running when API Gateway answered 504 at the integration
   * timeout; they ran to their end and are in the invocation counts and histograms. Absent when none.
   */
  answeredAfterIntegrationTimeout: count.optional(),
  droppedByReason: counts,
  /**
   * Throttles by the Retry-After header the service sent with them (seconds → count); absent when
   * no throttle carried one.
   */
  retryAfterS: counts.optional(),
  /**
   * Why arrivals ended where they did, per ledger bucket other than succeeded (failed, dead-lettered,
   * expired, in-flight): reason → count. At most 50 distinct reasons per bucket; the rest are
   * counted under "other reasons".
   */
  outcomeReasons: z.record(z.string(), counts),
  /** Values outside a histogram's range, recorded at its edge. */
  clampedValues: count,
});

export const BucketsSchema = z.record(z.enum(LEDGER_BUCKETS), count);

export const KeyLedgerSchema = z.object({
  arrivals: count,
  buckets: BucketsSchema,
  balanced: z.boolean(),
});

export const PerSecondSchema = z.object({
  /** Whole seconds since the point started. */
  second: count,
  arrivals: count,
  attempts: count,
  invocations: count,
  coldStarts: count,
  errors: count,
  throttles: count,
  outcomes: count,
  /** Client latency of attempts that ended in this second; null when none did. */
  p50Us: z.number().nullable(),
  p99Us: z.number().nullable(),
  /** Time-weighted mean of invocations in the function during this second; absent in older files. */
  concurrency: z.number().nonnegative().optional(),
  /** True when the harness fell behind in this second: its latencies may include harness delay. */
  harnessDelayed: z.boolean().optional(),
  /** Arrivals fired more than the late tolerance (10 ms) after their time in this second; absent when none. */
  late: count.optional(),
});

export const SeriesSchema = z.object({
  key: SeriesKeySchema,
  counters: CountersSchema,
  histograms: HistogramsSchema,
  perSecond: z.array(PerSecondSchema),
  ledger: KeyLedgerSchema,
  /** Pull sources only: what the event source mapping did (docs/results-schema.md, "stream"). */
  stream: StreamResultsSchema.extend({
    /** Age of each batch's last record when its invocation finished, µs. */
    iteratorAgeUs: EncodedHistogramSchema.optional(),
  }).optional(),
  /** Function figures read from CloudWatch Logs (Event invokes, `delivery: service`): how they were matched. */
  logs: LogsResultsSchema.optional(),
  /** `delivery: service`: lambench's publishes or puts to the real service (client-side figures). */
  service: ServiceResultsSchema.extend({
    /** Latency of each PublishBatch / PutRecords call, µs. */
    callLatencyUs: EncodedHistogramSchema.optional(),
  }).optional(),
});

export const AnomaliesSchema = z.object({
  duplicateArrivals: count,
  unknownOutcomes: count,
  duplicateOutcomes: count,
  attemptsForUnknownArrivals: count,
  examples: z.array(z.string()),
});

export const LedgerSchema = z.object({
  balanced: z.boolean(),
  arrivals: count,
  buckets: BucketsSchema,
  anomalies: AnomaliesSchema,
  /** What does not add up, in words; empty when balanced. */
  discrepancies: z.array(z.string()),
});

export const SchedulerSchema = z.object({
  scheduled: count,
  started: count,
  dropped: count,
  maxLagMs: z.number(),
  meanLagMs: z.number(),
  lateOver10Ms: count,
  callbackErrors: count,
});

export const PointSchema = z.object({
  /** e.g. "memory=512 batchSize=10"; "" for a run without a sweep. */
  label: z.string(),
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  durationMs: z.number().nonnegative(),
  series: z.array(SeriesSchema),
  ledger: LedgerSchema,
  scheduler: SchedulerSchema.optional(),
  /** Why the point could not run at all (the target refused its setting); its series are empty. */
  failure: z.string().optional(),
});

export const HarnessSampleSchema = z.object({
  atEpochMs: z.number(),
  intervalMs: z.number(),
  loopDelayP50Ms: z.number(),
  loopDelayP99Ms: z.number(),
  loopDelayMaxMs: z.number(),
  cpuPercent: z.number(),
  /** How much longer than nominal the sample's wall interval was (the harness stalled in it). */
  stalledMs: z.number().optional(),
  saturated: z.boolean(),
  reason: z.string().optional(),
});

export const HarnessStallSchema = z.object({
  /** Wall-clock epoch ms when the harness stopped running. */
  atEpochMs: z.number(),
  durationMs: z.number(),
  /** The point (index into points) and its second the stall began in; absent between points. */
  point: count.optional(),
  second: count.optional(),
});

const PointSecondSchema = z.object({ point: count, second: count });

export const HarnessVerdictSchema = z.object({
  /** No stall, no saturated sample and at most `lateArrivals.limitFraction` late while points ran. */
  clean: z.boolean(),
  /** Why not clean, one line each; empty when clean. */
  reasons: z.array(z.string()),
  /** Stretches in which the harness did not run (>= stallThresholdMs), in time order. */
  stalls: z.array(HarnessStallSchema),
  stallThresholdMs: z.number(),
  lateArrivals: z.object({
    /** Arrivals fired more than toleranceMs after their intended time. */
    count,
    /** Arrivals whose time came (the denominator of fraction). */
    scheduled: count,
    fraction: z.number(),
    toleranceMs: z.number(),
    /** Above this fraction the verdict is not clean. */
    limitFraction: z.number(),
    maxLagMs: z.number(),
  }),
  /** Samples (run.harness.samples) saturated by event-loop delay or CPU while a point ran. */
  saturatedSamples: count,
  /** Seconds of points whose latencies may include harness delay (marked in perSecond too). */
  affectedSeconds: z.array(PointSecondSchema),
  /** Series with attempts or arrivals in an affected second. */
  affectedKeys: z.array(z.object({ point: count, key: SeriesKeySchema })),
});

export const RunSchema = z.object({
  scenarioName: z.string(),
  /** The resolved scenario object the run executed (after templates and defaults). */
  scenario: z.unknown(),
  seed: z.number(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  aborted: z.boolean(),
  abortReason: z.string().optional(),
  lambenchVersion: z.string(),
  nodeVersion: z.string(),
  machine: z.object({
    os: z.string(),
    arch: z.string(),
    cpus: count,
    cpuModel: z.string(),
    memoryBytes: count,
  }),
  target: z.object({
    kind: z.enum(['local', 'aws']),
    /** cgroup-v2 | cgroup-v1 | duty-cycle | off locally; absent on AWS. */
    cpuLimiter: z.string().optional(),
    notes: z.array(z.string()),
    /** Locally: runtime id → the interpreter binary its environments ran on (path, version). */
    interpreters: z.record(z.string(), z.object({ path: z.string(), version: z.string() })).optional(),
  }),
  harness: z.object({
    saturated: z.boolean(),
    samples: z.array(HarnessSampleSchema),
    /** Whether the harness kept up; absent in files written before the verdict existed. */
    verdict: HarnessVerdictSchema.optional(),
  }),
  /** Absent for lambench's own engine; set when another load generator drove the run. */
  engine: z
    .object({
      name: z.enum(['artillery']),
      /** The generator's version as it reported it. */
      version: z.string(),
      /** The command that ran, e.g. `artillery run`. */
      command: z.string(),
      /** What the results could not carry from that engine, in words. */
      notes: z.array(z.string()),
    })
    .optional(),
});

export const ResultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  run: RunSchema,
  points: z.array(PointSchema),
  /** Every point's ledger added up. */
  ledger: LedgerSchema,
  /** Memory sweep analysis and recommendation (lambench sweep); see sweep-schema.ts. */
  sweep: SweepSchema.optional(),
});

export type Results = z.infer<typeof ResultsSchema>;
export type RunMetadata = z.infer<typeof RunSchema>;
export type PointResults = z.infer<typeof PointSchema>;
export type SeriesResults = z.infer<typeof SeriesSchema>;
export type LedgerResults = z.infer<typeof LedgerSchema>;
export type PerSecondRow = z.infer<typeof PerSecondSchema>;
export type Counters = z.infer<typeof CountersSchema>;
export type StreamResults = NonNullable<SeriesResults['stream']>;
export type SchedulerResults = z.infer<typeof SchedulerSchema>;
export type HarnessSampleResults = z.infer<typeof HarnessSampleSchema>;
export type HarnessStallResults = z.infer<typeof HarnessStallSchema>;
export type HarnessVerdict = z.infer<typeof HarnessVerdictSchema>;
