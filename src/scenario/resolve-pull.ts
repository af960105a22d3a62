/**
 * A pull source's stream or queue settings and its event source mapping, resolved with AWS's
 * defaults, and the rules the schema cannot see alone: settings that apply only to streams or only
 * to SQS, FIFO batch sizes, AT_TIMESTAMP's timestamp, filter patterns that must parse.
 */
import type { Reporter } from './reporter.js';
import type { RawSource } from './schema.js';
import type { RawMapping } from './schema-pull.js';
import type {
  DynamoDbStreamSettings,
  KinesisStreamSettings,
  MappingSettings,
  SqsQueueSettings,
} from './types.js';
import { parseDuration } from './units.js';
import type { PathSegment } from './yaml-document.js';

export type PullKind = 'kinesis' | 'dynamodb' | 'sqs';

/** Keys of a pull source's options that configure the stream or queue, not the record generator. */
export const STREAM_OPTION_KEYS: Record<PullKind, readonly string[]> = {
  kinesis: ['retention', 'writeLimits', 'endpoint'],
  dynamodb: ['shards'],
  sqs: ['visibilityTimeout', 'maxReceiveCount', 'retention'],
};

const DAY_MS = 86_400_000;

/** AWS's polling cadence: Kinesis about once a second per shard, DynamoDB Streams four times. */
const DEFAULT_POLL_MS: Record<PullKind, number> = { kinesis: 1000, dynamodb: 250, sqs: 1000 };

const STREAM_ONLY: readonly (keyof RawMapping)[] = [
  'parallelizationFactor',
  'startingPosition',
  'startingPositionTimestamp',
  'bisectBatchOnFunctionError',
  'maximumRetryAttempts',
  'maximumRecordAge',
  'onFailure',
  'tumblingWindow',
];

export function resolveMapping(
  raw: RawSource,
  kind: PullKind,
  at: PathSegment[],
  reporter: Reporter,
): MappingSettings {
  const m: RawMapping = raw.mapping ?? {};
  const where = [...at, 'mapping'];
  if (kind === 'sqs') {
    for (const key of STREAM_ONLY) {
      if (m[key] !== undefined)
        reporter.fail([...where, key], `${key} applies only to kinesis and dynamodb mappings`, { key: true });
    }
  } else if (m.maximumConcurrency !== undefined) {
    reporter.fail([...where, 'maximumConcurrency'], 'maximumConcurrency applies only to sqs mappings', {
      key: true,
    });
  }
  const list = <T>(v: T | T[] | undefined, fallback: T): T[] =>
    v === undefined ? [fallback] : Array.isArray(v) ? [...new Set(v)] : [v];
  const batchSize = list(m.batchSize, kind === 'sqs' ? 10 : 100);
  const batchingWindowMs = list(m.batchingWindow, '0s').map((d) => parseDuration(d) ?? 0);
  checkSqsBatching(raw, kind, batchSize, batchingWindowMs, where, reporter);
  const startingPosition = m.startingPosition ?? 'TRIM_HORIZON';
  if (startingPosition === 'AT_TIMESTAMP' && kind !== 'kinesis')
    reporter.fail(
      [...where, 'startingPosition'],
      'AT_TIMESTAMP is for Kinesis only: use TRIM_HORIZON or LATEST',
    );
  if (startingPosition === 'AT_TIMESTAMP' && m.startingPositionTimestamp === undefined)
    reporter.fail([...where, 'startingPosition'], 'AT_TIMESTAMP needs startingPositionTimestamp');
  const mapping: MappingSettings = {
    batchSize,
    batchingWindowMs,
    parallelizationFactor: list(m.parallelizationFactor, 1),
    startingPosition,
    bisectBatchOnFunctionError: m.bisectBatchOnFunctionError ?? false,
    maximumRetryAttempts: m.maximumRetryAttempts ?? -1,
    maximumRecordAgeMs:
      m.maximumRecordAge === undefined || m.maximumRecordAge === -1
        ? -1
        : (parseDuration(m.maximumRecordAge) ?? -1),
    reportBatchItemFailures: (m.functionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    tumblingWindowMs: parseDuration(m.tumblingWindow ?? '0s') ?? 0,
    filters: (m.filterCriteria?.filters ?? []).map((f, i) =>
      filterPattern(f.pattern, [...where, 'filterCriteria', 'filters', i, 'pattern'], reporter),
    ),
    pollIntervalMs: parseDuration(m.pollInterval ?? '0ms') || DEFAULT_POLL_MS[kind],
  };
  const ts = m.startingPositionTimestamp;
  if (ts !== undefined)
    mapping.startingPositionTimestampMs = typeof ts === 'number' ? ts * 1000 : Date.parse(ts);
  if (m.onFailure !== undefined) mapping.onFailure = m.onFailure;
  if (m.maximumConcurrency !== undefined) mapping.maximumConcurrency = m.maximumConcurrency;
  return mapping;
}

/**
 * SQS rules (Lambda API, BatchSize): above 10 a batching window of at least 1 s is required, and a
 * FIFO queue takes at most 10.
 */
function checkSqsBatching(
  raw: RawSource,
  kind: PullKind,
  sizes: number[],
  windowsMs: number[],
  where: PathSegment[],
  reporter: Reporter,
): void {
  if (kind !== 'sqs') return;
  const fifo = raw.sqs?.fifo === true || String(raw.sqs?.queue ?? '').endsWith('.fifo');
  const big = Math.max(...sizes);
  if (fifo && big > 10)
    reporter.fail([...where, 'batchSize'], `a FIFO queue takes batches of at most 10 (got ${big})`);
  else if (big > 10 && Math.min(...windowsMs) < 1000)
    reporter.fail(
      [...where, 'batchSize'],
      `an SQS batch size above 10 (${big}) needs batchingWindow of at least 1s (Lambda API rule)`,
    );
}

function filterPattern(pattern: unknown, at: PathSegment[], reporter: Reporter): Record<string, unknown> {
  if (typeof pattern !== 'string') return pattern as Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(pattern);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  reporter.fail(at, 'expected a filter pattern: a JSON object such as {"data": {"action": ["buy"]}}');
  return {};
}

export function kinesisSettings(raw: RawSource): KinesisStreamSettings {
  const k = raw.kinesis ?? {};
  const shards = typeof k.shards === 'number' ? k.shards : 1;
  const settings: KinesisStreamSettings = {
    shards,
    retentionMs: parseDuration(k.retention ?? '24h') ?? DAY_MS,
    writeLimits: k.writeLimits ?? true,
  };
  if (k.endpoint !== undefined) settings.endpoint = k.endpoint;
  return settings;
}

export function dynamoDbSettings(raw: RawSource): DynamoDbStreamSettings {
  return { shards: raw.dynamodb?.shards ?? 1, retentionMs: DAY_MS };
}

export function sqsSettings(raw: RawSource): SqsQueueSettings {
  const q = raw.sqs ?? {};
  const settings: SqsQueueSettings = {
    fifo: q.fifo === true || String(q.queue ?? '').endsWith('.fifo'),
    visibilityTimeoutMs: parseDuration(q.visibilityTimeout ?? '30s') ?? 30_000,
    retentionMs: q.retention === undefined ? 4 * DAY_MS : (parseDuration(q.retention) ?? 4 * DAY_MS),
  };
  if (q.maxReceiveCount !== undefined) settings.maxReceiveCount = q.maxReceiveCount;
  return settings;
}
