/**
 * SAM `Kinesis`, `DynamoDB` and `SQS` function events → pull sources: the stream or queue named by
 * the event, and its event source mapping settings (SAM property names are the Lambda API's).
 */
import type { RawSource } from './schema.js';
import type { RawMapping } from './schema-pull.js';

type Props = Record<string, unknown>;

export const PULL_EVENT_TYPES: ReadonlySet<string> = new Set(['Kinesis', 'DynamoDB', 'SQS']);

/** The raw source for a pull event, or why it cannot be one. */
export function mapPullEvent(type: string, p: Props, to: string): RawSource | string {
  const mapping = mappingOf(p);
  if (typeof mapping === 'string') return mapping;
  switch (type) {
    case 'Kinesis':
      return { kinesis: { stream: resourceName(p.Stream) ?? 'stream' }, to, mapping };
    case 'DynamoDB':
      return { dynamodb: { table: tableName(p.Stream) ?? 'table' }, to, mapping };
    case 'SQS': {
      const queue = resourceName(p.Queue) ?? 'queue';
      return { sqs: { queue, ...(queue.endsWith('.fifo') ? { fifo: true } : {}) }, to, mapping };
    }
    default:
      return `event type ${type} is not a pull source`;
  }
}

function mappingOf(p: Props): RawMapping | string {
  const m: RawMapping = {};
  if (typeof p.BatchSize === 'number') m.batchSize = p.BatchSize;
  if (typeof p.MaximumBatchingWindowInSeconds === 'number')
    m.batchingWindow = `${p.MaximumBatchingWindowInSeconds}s`;
  if (typeof p.ParallelizationFactor === 'number') m.parallelizationFactor = p.ParallelizationFactor;
  if (
    p.StartingPosition === 'TRIM_HORIZON' ||
    p.StartingPosition === 'LATEST' ||
    p.StartingPosition === 'AT_TIMESTAMP'
  )
    m.startingPosition = p.StartingPosition;
  if (typeof p.StartingPositionTimestamp === 'number')
    m.startingPositionTimestamp = p.StartingPositionTimestamp;
  if (typeof p.BisectBatchOnFunctionError === 'boolean')
    m.bisectBatchOnFunctionError = p.BisectBatchOnFunctionError;
  if (typeof p.MaximumRetryAttempts === 'number') m.maximumRetryAttempts = p.MaximumRetryAttempts;
  if (typeof p.MaximumRecordAgeInSeconds === 'number')
    m.maximumRecordAge = p.MaximumRecordAgeInSeconds === -1 ? -1 : `${p.MaximumRecordAgeInSeconds}s`;
  if (typeof p.TumblingWindowInSeconds === 'number') m.tumblingWindow = `${p.TumblingWindowInSeconds}s`;
  if (Array.isArray(p.FunctionResponseTypes) && p.FunctionResponseTypes.includes('ReportBatchItemFailures'))
    m.functionResponseTypes = ['ReportBatchItemFailures'];
  const destination = (p.DestinationConfig as Props | undefined)?.OnFailure;
  if (destination !== undefined) m.onFailure = 'destination';
  const scaling = (p.ScalingConfig as Props | undefined)?.MaximumConcurrency;
  if (typeof scaling === 'number') m.maximumConcurrency = scaling;
  const filters = (p.FilterCriteria as Props | undefined)?.Filters;
  if (filters !== undefined) {
    if (!Array.isArray(filters)) return 'FilterCriteria.Filters must be a list of {Pattern}';
    const patterns = filters.map((f) => (f as Props | null)?.Pattern);
    if (patterns.some((x) => typeof x !== 'string' && (typeof x !== 'object' || x === null)))
      return 'FilterCriteria.Filters[].Pattern must be a JSON string';
    m.filterCriteria = { filters: patterns.map((pattern) => ({ pattern: pattern as string })) };
  }
  return m;
}

/** `!GetAtt Clicks.Arn` → "Clicks"; `!Ref X` → "X"; an ARN stays itself. */
function resourceName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Props;
  if (typeof v.Ref === 'string') return v.Ref;
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  if (typeof att === 'string') return att.split('.')[0];
  return undefined;
}

/** The table a DynamoDB stream belongs to: `!GetAtt Orders.StreamArn` → "Orders", or from the ARN. */
function tableName(value: unknown): string | undefined {
  const name = resourceName(value);
  const m = name === undefined ? null : /:table\/([^/]+)/.exec(name);
  return m?.[1] ?? name;
}
