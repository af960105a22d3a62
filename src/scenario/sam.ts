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
    case 'S3': {
      const types = s3EventTypes(p.Events);
      const s3: Record<string, unknown> = {
        bucket: refName(p.Bucket) ?? 'bucket',
        event: types.length === 1 ? types[0] : types,
        ...s3KeyFilter(p.Filter),
      };
      return { s3, to };
    }
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
    case 'Schedule': {
      if (p.Enabled === false || p.State === 'DISABLED')
        return 'the schedule is disabled (Enabled: false / State: DISABLED)';
      if (p.Input === undefined) return { eventbridge: { type: 'scheduled' }, to };
      // The target's Input replaces the event: the function receives that JSON alone.
      const input = scheduleInput(p.Input);
      if (input.error !== undefined) return input.error;
      return { eventbridge: { type: 'scheduled', input: input.value }, to };
    }
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
 * S3 notification types as SAM writes them (`s3:ObjectCreated:*`, or a list): every one, each
 * wildcard narrowed to the most common concrete event of its family; successive arrivals take
 * them in turn.
 */
function s3EventTypes(events: unknown): string[] {
  const list = (Array.isArray(events) ? events : [events]).filter((e): e is string => typeof e === 'string');
  const concrete: Record<string, string> = {
    's3:ObjectCreated:*': 's3:ObjectCreated:Put',
    's3:ObjectRemoved:*': 's3:ObjectRemoved:Delete',
    's3:ObjectRestore:*': 's3:ObjectRestore:Completed',
  };
  const types = (list.length > 0 ? list : ['s3:ObjectCreated:*']).map((t) => concrete[t] ?? t);
  return [...new Set(types)];
}

/**
 * `Filter: {S3Key: {Rules: [{Name: prefix, Value: …}, {Name: suffix, Value: …}]}}` → the S3
 * generator's `prefix`/`suffix` options, so every generated key is one S3 would notify for.
 * Rule names are case-insensitive, as S3 reads them.
 */
function s3KeyFilter(filter: unknown): { prefix?: string; suffix?: string } {
  const rules = isRecord(filter) && isRecord(filter.S3Key) ? filter.S3Key.Rules : undefined;
  const out: { prefix?: string; suffix?: string } = {};
  if (!Array.isArray(rules)) return out;
  for (const rule of rules) {
    if (!isRecord(rule) || typeof rule.Name !== 'string' || typeof rule.Value !== 'string') continue;
    const name = rule.Name.toLowerCase();
    if (name === 'prefix' || name === 'suffix') out[name] = rule.Value;
  }
  return out;
}

/** SAM's `Input` is JSON text (or, written as YAML, the value itself). */
function scheduleInput(input: unknown): { value: unknown; error?: undefined } | { error: string } {
  if (typeof input !== 'string') return { value: input };
  try {
    return { value: JSON.parse(input) as unknown };
  } catch (error) {
    return { error: `Input must be valid JSON text: ${(error as Error).message}` };
  }
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
