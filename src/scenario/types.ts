/**
 * The resolved scenario: what `loadScenario` returns once a YAML file (plus `--set` overrides and
 * an optional SAM template) has been validated. Units are normalised here so nothing downstream
 * parses text: durations in milliseconds, memory in MB (Lambda's own unit), paths absolute.
 */
import type { SourcePosition } from '../core/errors.js';
import type { ArrivalDistribution, Phase } from '../load/types.js';

/** Open-model phases are the load engine's own type, so a plan needs no conversion to run. */
export type { Phase };

export type Distribution = ArrivalDistribution;

/** Open model: arrivals follow the phases whatever the function's latency. */
export interface OpenLoad {
  kind: 'open';
  phases: Phase[];
  /** The optional `name` of each phase, index for index (for plans and reports). */
  phaseNames: (string | undefined)[];
  /** Inter-arrival spacing: even (`uniform`) or exponential (`poisson`). */
  distribution: Distribution;
}

/** Closed model: `concurrency` virtual users each send, wait for the answer, think, repeat. */
export interface ClosedLoad {
  kind: 'closed';
  concurrency: number;
  durationMs: number;
  thinkTimeMs: number;
}

export type Load = OpenLoad | ClosedLoad;

export const RUNTIMES = [
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
  'provided.al2023',
  'provided.al2',
] as const;
export type Runtime = (typeof RUNTIMES)[number];

export interface ScenarioFunction {
  /** Logical name: the key under `functions:` (or the SAM logical id). */
  name: string;
  /** Lambda-style handler `file.export`, relative to `codeDir` (for provided runtimes: free text). */
  handler: string;
  /** Absolute folder holding the handler file (or `bootstrap` for provided runtimes). */
  codeDir: string;
  runtime: Runtime;
  /** Memory settings in MB, one per sweep value; a single setting is a one-element array. */
  memoryMB: number[];
  /** Lambda timeouts are whole seconds; kept in ms like every other duration. */
  timeoutMs: number;
  /** Reserved concurrency (beyond it, invokes are throttled). */
  reservedConcurrency?: number;
  provisionedConcurrency?: number;
  environment: Record<string, string>;
  /** On AWS: the deployed function's name or ARN. */
  remoteName?: string;
  /** Where the function was declared (the scenario key, or the SAM template). */
  position: SourcePosition;
}

/** Lambda's async retry settings (FunctionEventInvokeConfig); delays compressed by scenarios. */
export interface RetryPolicy {
  /** 0–2; AWS default 2. */
  maximumRetryAttempts: number;
  /** 60 s–6 h; AWS default 6 h. */
  maximumEventAgeMs: number;
  /** Delay before retry n (AWS: about 1 min, then 2 min). The last one repeats if needed. */
  delaysMs: number[];
}

export interface CsvPayload {
  /** Absolute path of the CSV file. */
  path: string;
  order: 'sequence' | 'random';
  delimiter: string;
  /** Header row: the template variable names. */
  columns: string[];
  /** Every data row, keyed by column; loaded once so a run never re-reads the file. */
  rows: Record<string, string>[];
}

export interface SnsSubscription {
  to: string;
  /** The SNS filter policy, verbatim. */
  filterPolicy?: Record<string, unknown>;
  filterPolicyScope: 'MessageAttributes' | 'MessageBody';
}

/** Where a source came from when a SAM template declared it. */
export interface TemplateOrigin {
  template: string;
  functionLogicalId: string;
  eventName: string;
  eventType: string;
}

interface SourceCommon {
  /** The key under `sources:` (`<FunctionLogicalId>.<EventName>` for SAM events). */
  name: string;
  /** Functions this source invokes (for SNS: every subscription's function too). */
  to: string[];
  load: Load;
  /** Upper bound on events in flight for this source; arrivals past it are counted as dropped. */
  maxInFlight: number;
  /** Generator options (free-form; the event generators define the names). Strings may hold `{{ }}`. */
  options: Record<string, unknown>;
  /** The event type for the generator (`type:`/`event:` option), when one was given; the first of a list. */
  eventType?: string;
  /** Every type of a `type:`/`event:` list (two or more): arrival i takes eventTypes[i mod n]. */
  eventTypes?: string[];
  payload?: CsvPayload;
  /** Absolute path of a module exporting `buildEvent(event, ctx)`; imported by the run. */
  processor?: string;
  origin?: TemplateOrigin;
  position: SourcePosition;
  /**
   * Async push sources on the aws target: `Event` sends each event as a real Event invoke (Lambda's
   * own async queue) and reads the function's figures from CloudWatch Logs; absent means lambench's
   * async-queue model with one RequestResponse call per attempt.
   */
  invocationType?: 'Event';
  /**
   * `delivery: service` (aws target): lambench publishes to the real SNS topic or puts records on
   * the real Kinesis stream, and the AWS integration invokes the function. Absent: `direct`.
   */
  service?: ServiceDelivery;
}

/** Where `delivery: service` sends a source's events. */
export type ServiceDelivery = { kind: 'sns'; topicArn: string } | { kind: 'kinesis'; streamName: string };

/** Async sources share Lambda's async queue rules: retries, maximum age, failure destination. */
interface AsyncDelivery {
  retries: RetryPolicy;
  /** `dlq`: failed events are written to the run's destination file. */
  onFailure?: 'dlq';
}

export type InvokeSource = SourceCommon & {
  kind: 'invoke';
  /** The payload: any JSON value; strings inside may hold templates. */
  invokePayload: unknown;
} & ({ async: false } | ({ async: true } & AsyncDelivery));

export type S3Source = SourceCommon & AsyncDelivery & { kind: 's3' };
export type SnsSource = SourceCommon &
  AsyncDelivery & {
    kind: 'sns';
    subscriptions: SnsSubscription[];
  };
export type EventBridgeSource = SourceCommon & AsyncDelivery & { kind: 'eventbridge' };
export type CloudFormationSource = SourceCommon &
  AsyncDelivery & {
    kind: 'cloudformation';
    /** How long the simulated CloudFormation waits for the PUT to ResponseURL. */
    responseTimeoutMs: number;
  };
export type ApiGatewaySource = SourceCommon & {
  kind: 'apigateway';
  /** 1 = REST API proxy (payload 1.0), 2 = HTTP API (payload 2.0). */
  version: 1 | 2;
  /** API Gateway gives up after this (29 s by default) and answers 504. */
  integrationTimeoutMs: number;
};
export type AlexaSource = SourceCommon & { kind: 'alexa' };

/** Where an event source mapping starts reading a stream (AT_TIMESTAMP: Kinesis only). */
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/**
 * An event source mapping's settings with AWS's names and defaults (durations in ms; −1 means
 * infinite as in the API). The three list-valued settings are sweep dimensions like `memory`.
 */
export interface MappingSettings {
  batchSize: number[];
  batchingWindowMs: number[];
  parallelizationFactor: number[];
  startingPosition: StartingPosition;
  /** Epoch ms, for AT_TIMESTAMP. */
  startingPositionTimestampMs?: number;
  bisectBatchOnFunctionError: boolean;
  /** −1 = retry until the records expire (AWS default). */
  maximumRetryAttempts: number;
  /** −1 = no age limit (AWS default). */
  maximumRecordAgeMs: number;
  /** `destination`: discarded batches are recorded in the run's on-failure JSONL file. */
  onFailure?: 'destination';
  /** FunctionResponseTypes: ["ReportBatchItemFailures"]. */
  reportBatchItemFailures: boolean;
  /** 0 = no tumbling window. */
  tumblingWindowMs: number;
  /** FilterCriteria.Filters[].Pattern, parsed (an EventBridge-style pattern each). */
  filters: Record<string, unknown>[];
  /** SQS: ScalingConfig.MaximumConcurrency (2–1,000); undefined = no cap but AWS's 1,000. */
  maximumConcurrency?: number;
  /** How often an idle shard or queue is polled (AWS: Kinesis 1 s, DynamoDB 250 ms, SQS long poll). */
  pollIntervalMs: number;
}

/** The in-memory (or real) Kinesis stream records are put into. */
export interface KinesisStreamSettings {
  shards: number;
  /** Records older than this leave the stream (24 h default). */
  retentionMs: number;
  /** Per-shard write limits (1 MiB/s, 1,000 records/s) refuse puts like Kinesis; false lifts them. */
  writeLimits: boolean;
  /** A real Kinesis API endpoint (e.g. kinesalite); absent = the in-memory stream. */
  endpoint?: string;
}

export interface DynamoDbStreamSettings {
  /** Shards the table's stream is split into (items are routed by key). */
  shards: number;
  retentionMs: number;
}

export interface SqsQueueSettings {
  fifo: boolean;
  visibilityTimeoutMs: number;
  /** Redrive to the dead-letter queue after this many receives; absent = no DLQ. */
  maxReceiveCount?: number;
  /** Messages older than this are deleted by SQS (4 days default). */
  retentionMs: number;
}

export type KinesisSource = SourceCommon & {
  kind: 'kinesis';
  stream: KinesisStreamSettings;
  mapping: MappingSettings;
};
export type DynamoDbSource = SourceCommon & {
  kind: 'dynamodb';
  stream: DynamoDbStreamSettings;
  mapping: MappingSettings;
};
export type SqsSource = SourceCommon & { kind: 'sqs'; queue: SqsQueueSettings; mapping: MappingSettings };
export type PullSource = KinesisSource | DynamoDbSource | SqsSource;

export type ScenarioSource =
  | InvokeSource
  | S3Source
  | SnsSource
  | EventBridgeSource
  | CloudFormationSource
  | ApiGatewaySource
  | AlexaSource
  | PullSource;

export type SourceKind = ScenarioSource['kind'];

/** A SAM event that became no source: it had no load, or its type is not supported yet. */
export interface SkippedTemplateEvent {
  name: string;
  eventType: string;
  reason: string;
}

export interface Scenario {
  /** Absolute path of the scenario file. */
  file: string;
  name: string;
  description?: string;
  /** Every generated event is reproducible from this. */
  seed: number;
  target: 'local' | 'aws';
  aws?: {
    region?: string;
    profile?: string;
    endpoint?: string;
    /** Per-service endpoints over `endpoint`. */
    endpoints?: { sns?: string; kinesis?: string; logs?: string };
    /** How long to keep reading CloudWatch Logs for REPORT lines not there yet. */
    logsWaitMs?: number;
  };
  /** Settings of the embedded emulator (target: local). */
  local?: {
    /** Overrides LAMBENCH_SATURATED_GRACE_MS: EmulatorOptions.saturatedGraceMs. */
    saturatedGraceMs?: number;
    /** Overrides LAMBENCH_CPU_LIMITER: EmulatorOptions.cpuLimiter. */
    cpuLimiter?: 'auto' | 'cgroup-v2' | 'cgroup-v1' | 'duty-cycle' | 'off';
  };
  /** Absolute path of the SAM template, when one was named. */
  template?: string;
  functions: Record<string, ScenarioFunction>;
  sources: Record<string, ScenarioSource>;
  skipped: SkippedTemplateEvent[];
  /** Thresholds, each expression checked at load time (src/ci/threshold-syntax.ts). */
  expect: ScenarioThreshold[];
  /** Reports to write after the run, and the baseline to compare with. */
  report?: ScenarioReport;
  run: {
    /** How long in-flight work may finish after the last arrival. */
    graceMs: number;
    /** Absolute folder for results and reports. */
    outputDir: string;
  };
}

/** One `expect:` entry: the expression and whether a failure stops the run early. */
export interface ScenarioThreshold {
  expression: string;
  abortOnFail?: boolean;
  /** Milliseconds into the run before a failure may abort it. */
  delayAbortMs?: number;
}

export interface ScenarioReport {
  html?: boolean;
  summary?: 'md';
  /** JUnit XML file to write, relative to the run's folder. */
  junit?: string;
  /** Absolute path of the baseline results.json. */
  baseline?: string;
  maxRegression?: string;
}
