/**
 * A validated `sources.<name>` entry → ScenarioSource. Checks what the schema cannot see alone:
 * exactly one event key, `to` naming declared functions, settings that only make sense for some
 * kinds, files that must exist, and templates that must compile.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SourcePosition } from '../core/errors.js';
import { loadCsvPayload } from './payload-csv.js';
import type { Reporter } from './reporter.js';
import { resolveLoad } from './resolve-load.js';
import {
  dynamoDbSettings,
  kinesisSettings,
  type PullKind,
  resolveMapping,
  STREAM_OPTION_KEYS,
  sqsSettings,
} from './resolve-pull.js';
import { EVENT_KEYS, PULL_KEYS, type RawLoad, type RawSource } from './schema.js';
import { didYouMean } from './suggest.js';
import { checkTemplates } from './templates.js';
import type {
  MappingSettings,
  RetryPolicy,
  ScenarioSource,
  SnsSubscription,
  SourceKind,
  TemplateOrigin,
} from './types.js';
import { parseDuration } from './units.js';
import type { PathSegment } from './yaml-document.js';

type EventKey = (typeof EVENT_KEYS)[number] | (typeof PULL_KEYS)[number];

const isPull = (kind: EventKey): kind is PullKind => (PULL_KEYS as readonly string[]).includes(kind);

/** Sources Lambda invokes asynchronously (InvocationType Event): its async queue rules apply. */
const ASYNC_KINDS: ReadonlySet<SourceKind> = new Set(['s3', 'sns', 'eventbridge', 'cloudformation']);

export interface SourceContext {
  reporter: Reporter;
  baseDir: string;
  functions: ReadonlySet<string>;
  /** `templateLoad:` — the load for template events that have none of their own. */
  templateLoad?: RawLoad | undefined;
  origin?: TemplateOrigin | undefined;
  /** Where the source was declared when the scenario file does not mention it (SAM events). */
  position?: SourcePosition | undefined;
}

export function resolveSource(name: string, raw: RawSource, ctx: SourceContext): ScenarioSource | undefined {
  const { reporter } = ctx;
  const at: PathSegment[] = ['sources', name];
  const kind = eventKind(raw, at, reporter);
  if (!kind) return undefined;
  const before = reporter.errors.length;
  checkKindSpecific(raw, kind, at, reporter);
  const choice = deliveryChoice(raw, kind, at, reporter);
  const to = resolveTargets(raw, kind, at, ctx);
  const subscriptions = kind === 'sns' ? resolveSubscriptions(raw, at, ctx) : [];
  const rawLoad = raw.load ?? (ctx.origin ? ctx.templateLoad : undefined);
  if (rawLoad === undefined) {
    reporter.fail(
      at,
      'missing load: a list of phases (load: [{ duration: 1m, arrivalRate: 10 }]) or a closed model',
    );
  }
  const { options, eventType, eventTypes } = eventOptions(raw, kind, at, reporter);
  const mapping = isPull(kind) ? resolveMapping(raw, kind, at, reporter) : undefined;
  const payload = raw.payload
    ? loadCsvPayload(raw.payload, ctx.baseDir, [...at, 'payload'], reporter)
    : undefined;
  const processor = raw.processor === undefined ? undefined : path.resolve(ctx.baseDir, raw.processor);
  if (processor !== undefined && !existsSync(processor)) {
    reporter.fail([...at, 'processor'], `processor module ${raw.processor}: no such file`);
  }
  if (reporter.errors.length > before || rawLoad === undefined) return undefined;

  const common = {
    name,
    to: [...new Set([...to, ...subscriptions.map((s) => s.to)])],
    load: resolveLoad(rawLoad, raw.distribution ?? 'uniform'),
    maxInFlight: raw.maxInFlight ?? 1000,
    options,
    position: ctx.position ?? reporter.at(at, true),
    ...(eventType === undefined ? {} : { eventType }),
    ...(eventTypes === undefined ? {} : { eventTypes }),
    ...(payload === undefined ? {} : { payload }),
    ...(processor === undefined ? {} : { processor }),
    ...(ctx.origin === undefined ? {} : { origin: ctx.origin }),
    ...choice,
  };
  const asyncDelivery = { retries: retryPolicy(raw), ...(raw.onFailure ? { onFailure: raw.onFailure } : {}) };
  switch (kind) {
    case 'invoke':
      return raw.async
        ? { ...common, kind, invokePayload: raw.invoke, async: true, ...asyncDelivery }
        : { ...common, kind, invokePayload: raw.invoke, async: false };
    case 'sns':
      return { ...common, ...asyncDelivery, kind, subscriptions };
    case 's3':
    case 'eventbridge':
      return { ...common, ...asyncDelivery, kind };
    case 'cloudformation':
      return {
        ...common,
        ...asyncDelivery,
        kind,
        responseTimeoutMs: parseDuration(raw.responseTimeout ?? '60s') ?? 0,
      };
    case 'apigateway':
      return {
        ...common,
        kind,
        // The generator's own rule: an explicit version, else 2 for the `http` type, else 1 (REST).
        version: raw.apigateway?.version ?? (eventType?.toLowerCase() === 'http' ? 2 : 1),
        integrationTimeoutMs: parseDuration(raw.integrationTimeout ?? '29s') ?? 0,
      };
    case 'alexa':
      return { ...common, kind };
    case 'kinesis':
      return { ...common, kind, stream: kinesisSettings(raw), mapping: mapping as MappingSettings };
    case 'dynamodb':
      return { ...common, kind, stream: dynamoDbSettings(raw), mapping: mapping as MappingSettings };
    case 'sqs':
      return { ...common, kind, queue: sqsSettings(raw), mapping: mapping as MappingSettings };
  }
}

function eventKind(raw: RawSource, at: PathSegment[], reporter: Reporter): EventKey | undefined {
  const keys: readonly EventKey[] = [...EVENT_KEYS, ...PULL_KEYS];
  const present = keys.filter((k) => raw[k] !== undefined);
  const [first, second] = present;
  if (first === undefined) {
    reporter.fail(at, `a source needs one event key: ${keys.join(', ')}`, { key: true });
    return undefined;
  }
  if (second !== undefined) {
    reporter.fail(
      [...at, second],
      `one event key per source: found ${present.join(' and ')}; split them into two sources`,
      {
        key: true,
      },
    );
    return undefined;
  }
  return first;
}

function checkKindSpecific(raw: RawSource, kind: EventKey, at: PathSegment[], reporter: Reporter): void {
  const isAsync = ASYNC_KINDS.has(kind) || (kind === 'invoke' && raw.async === true);
  const only = (key: keyof RawSource, rule: boolean, what: string) => {
    if (raw[key] !== undefined && !rule)
      reporter.fail([...at, key], `${key} applies only to ${what}`, { key: true });
  };
  only('async', kind === 'invoke', 'invoke sources');
  only('subscriptions', kind === 'sns', 'sns sources');
  only('retries', isAsync, 'async sources (s3, sns, eventbridge, cloudformation, invoke with async: true)');
  only('onFailure', isAsync, 'async sources (s3, sns, eventbridge, cloudformation, invoke with async: true)');
  only('integrationTimeout', kind === 'apigateway', 'apigateway sources');
  only('responseTimeout', kind === 'cloudformation', 'cloudformation sources');
  only('mapping', isPull(kind), 'pull sources (kinesis, dynamodb, sqs)');
  only('maxInFlight', !isPull(kind), 'push sources (a stream or queue buffers pull sources)');
}

/** Kinds whose events can go out as real Event invokes (CloudFormation's ResponseURL is lambench's own). */
const EVENT_INVOKE_KINDS: ReadonlySet<EventKey> = new Set(['s3', 'sns', 'eventbridge']);
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const STREAM =
  /^([A-Za-z0-9_.-]{1,128}|arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]{1,128})$/;

/** `invocationType` and `delivery: service` with the fields they need and the ones they rule out. */
function deliveryChoice(
  raw: RawSource,
  kind: EventKey,
  at: PathSegment[],
  reporter: Reporter,
): Pick<ScenarioSource, 'invocationType' | 'service'> {
  const out: Pick<ScenarioSource, 'invocationType' | 'service'> = {};
  const service = raw.delivery === 'service';
  const refuse = (key: keyof RawSource, why: string) => {
    if (raw[key] !== undefined) reporter.fail([...at, key], why, { key: true });
  };
  if (raw.invocationType === 'Event') {
    const eventKind = EVENT_INVOKE_KINDS.has(kind) || (kind === 'invoke' && raw.async === true);
    if (!eventKind) {
      reporter.fail(
        [...at, 'invocationType'],
        'invocationType: Event applies only to s3, sns, eventbridge and invoke with async: true sources',
      );
    } else if (service) {
      reporter.fail(
        [...at, 'invocationType'],
        'with delivery: service the AWS service invokes the function; remove invocationType',
      );
    } else {
      const why = "with invocationType: Event Lambda's own async settings of the function apply; remove it";
      refuse('retries', why);
      refuse('onFailure', why);
      out.invocationType = 'Event';
    }
  }
  if (raw.delivery !== undefined && kind !== 'sns' && kind !== 'kinesis') {
    reporter.fail([...at, 'delivery'], 'delivery applies only to sns and kinesis sources');
    return out;
  }
  if (!service) {
    refuse('topicArn', 'topicArn applies only with delivery: service');
    refuse('streamName', 'streamName applies only with delivery: service');
    return out;
  }
  const why =
    'with delivery: service the real service decides this (its subscriptions, mapping and retry settings); remove it';
  for (const key of ['subscriptions', 'retries', 'onFailure', 'mapping'] as const) refuse(key, why);
  if (kind === 'sns') {
    refuse('streamName', 'streamName applies only to kinesis sources');
    if (raw.topicArn === undefined) {
      reporter.fail([...at, 'delivery'], 'delivery: service needs topicArn: the SNS topic to publish to');
    } else if (!TOPIC_ARN.test(raw.topicArn)) {
      reporter.fail(
        [...at, 'topicArn'],
        'expected an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:orders',
      );
    } else out.service = { kind: 'sns', topicArn: raw.topicArn };
  } else {
    refuse('topicArn', 'topicArn applies only to sns sources');
    if (raw.streamName === undefined) {
      reporter.fail(
        [...at, 'delivery'],
        'delivery: service needs streamName: the Kinesis stream to put records on',
      );
    } else if (!STREAM.test(raw.streamName)) {
      reporter.fail(
        [...at, 'streamName'],
        'expected a Kinesis stream name (letters, digits, _ . -) or a stream ARN like arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
      );
    } else out.service = { kind: 'kinesis', streamName: raw.streamName };
  }
  return out;
}

function resolveTargets(raw: RawSource, kind: EventKey, at: PathSegment[], ctx: SourceContext): string[] {
  const to = raw.to === undefined ? [] : Array.isArray(raw.to) ? raw.to : [raw.to];
  if (to.length === 0 && !(kind === 'sns' && raw.subscriptions)) {
    const hint = kind === 'sns' ? ' (or subscriptions)' : '';
    ctx.reporter.fail(at, `missing to${hint}: the function(s) this source invokes`, { key: true });
  }
  to.forEach((fn, i) => {
    const where = Array.isArray(raw.to) ? [...at, 'to', i] : [...at, 'to'];
    checkFunctionName(fn, where, ctx);
  });
  return to;
}

function resolveSubscriptions(raw: RawSource, at: PathSegment[], ctx: SourceContext): SnsSubscription[] {
  return (raw.subscriptions ?? []).map((s, i) => {
    checkFunctionName(s.to, [...at, 'subscriptions', i, 'to'], ctx);
    const sub: SnsSubscription = { to: s.to, filterPolicyScope: s.filterPolicyScope ?? 'MessageAttributes' };
    if (s.filterPolicy !== undefined) sub.filterPolicy = s.filterPolicy;
    return sub;
  });
}

function checkFunctionName(fn: string, where: PathSegment[], ctx: SourceContext): void {
  if (ctx.functions.has(fn)) return;
  const known = [...ctx.functions];
  const list = known.length > 0 ? `; declared: ${known.join(', ')}` : '; no functions are declared';
  ctx.reporter.fail(where, `unknown function "${fn}"${didYouMean(fn, known) || list}`);
}

/** Generator options without `type`/`event`, which name the event type. */
function eventOptions(raw: RawSource, kind: EventKey, at: PathSegment[], reporter: Reporter) {
  if (kind === 'invoke') {
    checkTemplates(raw.invoke, [...at, 'invoke'], reporter);
    return { options: {}, eventType: undefined, eventTypes: undefined };
  }
  const { type, event, ...rest } = raw[kind] ?? {};
  if (type !== undefined && event !== undefined) {
    reporter.fail([...at, kind, 'event'], 'type and event are the same setting: keep one', { key: true });
  }
  const options: Record<string, unknown> = { ...rest };
  // The stream's or queue's own settings are not generator options.
  if (isPull(kind)) for (const key of STREAM_OPTION_KEYS[kind]) delete options[key];
  checkTemplates(options, [...at, kind], reporter);
  const given = type ?? event;
  if (!Array.isArray(given)) return { options, eventType: given };
  if (isPull(kind) && given.length > 1) {
    const field = type === undefined ? 'event' : 'type';
    reporter.fail([...at, kind, field], 'a list of event types applies only to push sources');
  }
  const eventTypes = [...new Set(given)];
  return { options, eventType: eventTypes[0], ...(eventTypes.length > 1 ? { eventTypes } : {}) };
}

/** Lambda's async defaults: 2 retries, 6 h maximum age, about 1 min then 2 min between tries. */
function retryPolicy(raw: RawSource): RetryPolicy {
  const r = raw.retries ?? {};
  return {
    maximumRetryAttempts: r.maximumRetryAttempts ?? 2,
    maximumEventAgeMs: parseDuration(r.maximumEventAge ?? '6h') ?? 0,
    delaysMs: (r.delays ?? ['1m', '2m']).map((d) => parseDuration(d) ?? 0),
  };
}
