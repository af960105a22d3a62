/**
 * The generator contract: `generate(source, type, options, ctx)` returns the exact event AWS
 * delivers. Pure and seeded: the same seed and index give the same event, byte for byte.
 */

export const SOURCES = [
  's3',
  'sns',
  'apigateway',
  'kinesis',
  'dynamodb',
  'sqs',
  'eventbridge',
  'cloudformation',
  'alexa',
] as const;
export type SourceName = (typeof SOURCES)[number];

export interface GenerateContext {
  seed: number;
  /** The arrival index within the source (0-based). */
  index: number;
  /** Epoch ms used for event times and `{{ now }}`; defaults to a fixed epoch derived from the seed. */
  now?: number;
  /** Variables for templates (a CSV payload row, …). */
  vars?: Record<string, string>;
}

/** Options override any field; string options may hold `{{ }}` templates. */
export type GeneratorOptions = Record<string, unknown>;

export interface EventTypeInfo {
  name: string;
  description: string;
}

export interface SourceGenerator<E = unknown> {
  source: SourceName;
  description: string;
  types: readonly EventTypeInfo[];
  /** Default type when none is given. */
  defaultType: string;
  /** Option names this source accepts (for `lambench events` and scenario validation). */
  options: readonly string[];
  generate(type: string, options: GeneratorOptions, ctx: GenerateContext): E;
}

/**
 * Stream and queue sources also build batches: `n` records for indexes ctx.index … ctx.index+n−1,
 * with sequencing kept right per shard and per key. Records are not grouped: delivery code groups
 * them into invocations (a Kinesis or DynamoDB batch never mixes shards).
 */
export interface BatchSourceGenerator<E = unknown, R = unknown> extends SourceGenerator<E> {
  batch(n: number, options: GeneratorOptions, ctx: GenerateContext, type?: string): R[];
  /** The shard (or FIFO message group) a record belongs to, for grouping batches. */
  shardOf(record: R): string;
}
