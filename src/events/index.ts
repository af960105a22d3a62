/**
 * The event generators' public surface: one generator per source, looked up by name.
 *
 *   generate('s3', 'put', { bucket: 'photos' }, { seed: 1, index: 0 })
 *   getGenerator('kinesis').batch(100, { shards: 4 }, { seed: 1, index: 0 })
 */
import { InputError } from '../core/errors.js';
import { alexaGenerator } from './alexa.js';
import { apiGatewayGenerator } from './apigateway.js';
import { cloudFormationGenerator } from './cloudformation.js';
import { didYouMean } from './define.js';
import { dynamodbGenerator } from './dynamodb.js';
import { eventBridgeGenerator } from './eventbridge.js';
import { kinesisGenerator } from './kinesis.js';
import { s3Generator } from './s3.js';
import { snsGenerator } from './sns.js';
import { sqsGenerator } from './sqs.js';
import {
  type BatchSourceGenerator,
  type GenerateContext,
  type GeneratorOptions,
  SOURCES,
  type SourceGenerator,
  type SourceName,
} from './types.js';

export { createEventFaker } from './random.js';
export type { CompiledTemplate, TemplateScope } from './template.js';
export { compileTemplate, renderDeep, TemplateError } from './template.js';
export type {
  BatchSourceGenerator,
  GenerateContext,
  GeneratorOptions,
  SourceGenerator,
  SourceName,
} from './types.js';

const GENERATORS: Record<SourceName, SourceGenerator> = {
  s3: s3Generator,
  sns: snsGenerator,
  apigateway: apiGatewayGenerator,
  kinesis: kinesisGenerator,
  dynamodb: dynamodbGenerator,
  sqs: sqsGenerator,
  eventbridge: eventBridgeGenerator,
  cloudformation: cloudFormationGenerator,
  alexa: alexaGenerator,
};

const PULL: ReadonlySet<string> = new Set(['kinesis', 'dynamodb', 'sqs']);

/** Every source's generator, in the documented order. */
export function listSources(): readonly SourceGenerator[] {
  return SOURCES.map((s) => GENERATORS[s]);
}

/** The generator of a source; an InputError with the valid names (and a "did you mean") otherwise. */
export function getGenerator(source: string): SourceGenerator {
  const generator = (GENERATORS as Record<string, SourceGenerator | undefined>)[source];
  if (generator) return generator;
  throw new InputError(
    'UNKNOWN_SOURCE',
    `unknown event source "${source}"${didYouMean(source, SOURCES)}; valid sources: ${SOURCES.join(', ')}`,
  );
}

/** True for the stream and queue sources, whose generators also build batches. */
export function isBatchSource(generator: SourceGenerator): generator is BatchSourceGenerator {
  return PULL.has(generator.source) && 'batch' in generator;
}

/** The batch-building generator of a stream or queue source. */
export function getBatchGenerator(source: string): BatchSourceGenerator {
  const generator = getGenerator(source);
  if (isBatchSource(generator)) return generator;
  throw new InputError(
    'NOT_A_BATCH_SOURCE',
    `${source} delivers single events; batches exist for kinesis, dynamodb and sqs`,
  );
}

/** One event of `source`, exactly as AWS delivers it; the same seed and index give the same event. */
export function generate(
  source: string,
  type: string | undefined,
  options: GeneratorOptions,
  ctx: GenerateContext,
): unknown {
  const generator = getGenerator(source);
  return generator.generate(type ?? generator.defaultType, options, ctx);
}
