/**
 * A SAM template's functions and Events → scenario functions and sources. Template values are the
 * base; the scenario overrides them field by field (a scenario function or source with the same
 * name merges). Each event becomes the source `<FunctionLogicalId>.<EventName>`.
 */

import { InputError, type SourcePosition } from '../core/errors.js';
import type { Reporter } from './reporter.js';
import { isRuntime } from './resolve-function.js';
import { mapPullEvent, PULL_EVENT_TYPES } from './sam-pull.js';
import type { SamEvent, SamFunction } from './sam-template.js';
import type { RawFunction, RawSource } from './schema.js';
import { RUNTIMES, type SkippedTemplateEvent, type TemplateOrigin } from './types.js';

/** A source a template event declares, before the scenario's own settings are merged in. */
export interface TemplateSource {
  raw: RawSource;
  origin: TemplateOrigin;
  position: SourcePosition;
}

export type EventMapping = { source: TemplateSource } | { skipped: SkippedTemplateEvent; pull: boolean };

/** The template function as scenario fields; the scenario's own entry is merged over it. */
export function templateFunction(fn: SamFunction): RawFunction {
  const raw: RawFunction = {
    codeDir: fn.codeDir,
    handler: fn.handler,
    memory: fn.memorySize,
    timeout: `${fn.timeout}s`,
    environment: fn.environment,
  };
  if (isRuntime(fn.runtime)) raw.runtime = fn.runtime;
  if (fn.reservedConcurrency !== undefined) raw.concurrency = fn.reservedConcurrency;
  if (fn.functionName !== fn.logicalId) raw.name = fn.functionName;
  return raw;
}

/** Scenario values win; environment merges by variable; a path-style handler replaces codeDir. */
export function mergeFunction(base: RawFunction, own: RawFunction | undefined): RawFunction {
  if (!own) return base;
  const merged: RawFunction = { ...base, ...own };
  if (own.handler !== undefined && own.codeDir === undefined) delete merged.codeDir;
  if (base.environment || own.environment) merged.environment = { ...base.environment, ...own.environment };
  return merged;
}

/** Reports a template runtime lambench cannot run, unless the scenario names its own. */
export function checkTemplateRuntime(
  fn: SamFunction,
  own: RawFunction | undefined,
  reporter: Reporter,
): void {
  if (isRuntime(fn.runtime) || own?.runtime !== undefined) return;
  reporter.add(
    new InputError(
      'SCENARIO_UNSUPPORTED',
      `runtime ${fn.runtime} is not supported; expected one of ${RUNTIMES.join(', ')}`,
      {
        position: { ...fn.position, field: `Resources.${fn.logicalId}.Properties.Runtime` },
      },
    ),
  );
}

/** Maps one SAM event to a lambench source, or says why it cannot be one. */
export function mapTemplateEvent(fn: SamFunction, event: SamEvent, template: string): EventMapping {
  const name = `${fn.logicalId}.${event.name}`;
  const origin: TemplateOrigin = {
    template,
    functionLogicalId: fn.logicalId,
    eventName: event.name,
    eventType: event.type,
  };
  const skip = (reason: string, pull = false): EventMapping => ({
    skipped: { name, eventType: event.type, reason },
    pull,
  });
  const raw = PULL_EVENT_TYPES.has(event.type)
    ? mapPullEvent(event.type, event.properties, fn.logicalId)
    : mapProperties(event.type, event.properties, fn.logicalId);
  if (typeof raw === 'string') return skip(raw);
  return { source: { raw, origin, position: event.position } };
}

type Props = Record<string, unknown>;

function mapProperties(type: string, p: Props, to: string): RawSource | string {
  switch (type) {
    case 'S3':
      return { s3: { bucket: refName(p.Bucket) ?? 'bucket', event: s3EventType(p.Events) }, to };
    case 'SNS': {
      if (p.SqsSubscription !== undefined && p.SqsSubscription !== false) {
        return 'SNS with SqsSubscription (SNS → SQS → Lambda) is not supported yet';
      }
      const sub: NonNullable<RawSource['subscriptions']>[number] = { to };
      if (isRecord(p.FilterPolicy)) sub.filterPolicy = p.FilterPolicy;
      if (p.FilterPolicyScope === 'MessageBody' || p.FilterPolicyScope === 'MessageAttributes') {
        sub.filterPolicyScope = p.FilterPolicyScope;
      }
      return { sns: { topic: refName(p.Topic) ?? 'topic' }, subscriptions: [sub] };
    }
    case 'Api':
      return { apigateway: { version: 1, ...route(p) }, to };
    case 'HttpApi':
      // HTTP APIs send payload 2.0 unless the route asks for 1.0.
      return { apigateway: { version: String(p.PayloadFormatVersion) === '1.0' ? 1 : 2, ...route(p) }, to };
    case 'Schedule':
      return { eventbridge: { type: 'scheduled' }, to };
    default:
      return `event type ${type} is not supported (supported: S3, SNS, Api, HttpApi, Schedule, Kinesis, DynamoDB, SQS)`;
  }
}

/** A real request has a concrete method: SAM's `any` becomes GET; no path is the $default route. */
function route(p: Props): { method: string; path: string } {
  const method =
    typeof p.Method === 'string' && p.Method.toLowerCase() !== 'any' ? p.Method.toUpperCase() : 'GET';
  return { method, path: typeof p.Path === 'string' ? p.Path : '/' };
}

/**
 * S3 notification types as SAM writes them (`s3:ObjectCreated:*`, or a list): the first one,
 * with a wildcard narrowed to the most common concrete event of its family.
 */
function s3EventType(events: unknown): string {
  const first = Array.isArray(events) ? events[0] : events;
  const text = typeof first === 'string' ? first : 's3:ObjectCreated:*';
  const concrete: Record<string, string> = {
    's3:ObjectCreated:*': 's3:ObjectCreated:Put',
    's3:ObjectRemoved:*': 's3:ObjectRemoved:Delete',
    's3:ObjectRestore:*': 's3:ObjectRestore:Completed',
  };
  return concrete[text] ?? text;
}

/** `!Ref Photos` (long form `{Ref: Photos}`) → "Photos"; a plain string stays itself. */
function refName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.Ref === 'string') return value.Ref;
  return undefined;
}

/** Scenario settings win; the event key's options merge by option. */
export function mergeSource(base: RawSource, own: RawSource): RawSource {
  const merged: RawSource = { ...base, ...own };
  for (const key of [
    's3',
    'sns',
    'apigateway',
    'eventbridge',
    'kinesis',
    'dynamodb',
    'sqs',
    'mapping',
  ] as const) {
    if (base[key] && own[key]) Object.assign(merged, { [key]: { ...base[key], ...own[key] } });
  }
  if (base.subscriptions && !own.subscriptions && own.to !== undefined) delete merged.subscriptions;
  return merged;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
