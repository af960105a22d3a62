/**
 * Routes one source's arrivals to its functions the way the real service would: sync for direct
 * invokes and Alexa, the API Gateway proxy contract, Lambda's async queue for S3, EventBridge and
 * CloudFormation, and SNS fan-out by filter policy. Every arrival is reported to the sink — as an
 * arrival with exactly one outcome per function key — including arrivals the harness drops.
 */
import type { Clock } from '../core/clock.js';
import { createEventInvokeDelivery } from '../delivery/event-invoke.js';
import {
  type AsyncQueue,
  type AsyncQueueOptions,
  createApiGatewayDelivery,
  createAsyncDelivery,
  createCloudFormationDelivery,
  createDestinationFile,
  createSnsFanout,
  createSyncDelivery,
  type Delivery,
  type DeliveryContext,
  type DestinationFile,
  destinationPath,
  type ResponseEndpoint,
} from '../delivery/index.js';
import { createServiceRoute } from '../delivery/service-delivery.js';
import { HARNESS_DROP_REASON, type MetricsSink, type SeriesKey } from '../metrics/types.js';
import type { MappingPoint } from '../scenario/plan.js';
import type { ScenarioSource, SnsSubscription } from '../scenario/types.js';
import type { Target } from '../targets/types.js';
import { createPullRoute } from './pull-route.js';

/** Where the functions of one sweep point live. */
export interface PointTargets {
  target: Target;
  sink: MetricsSink;
  clock: Clock;
  /** Qualifier and memory per function name, prepared for this point. */
  qualifiers: Record<string, string>;
  memoryMB: Record<string, number>;
  reservedConcurrency: Record<string, number | undefined>;
  outputDir: string;
  /** Each pull source's swept mapping settings at this point. */
  mapping: Record<string, MappingPoint>;
  /** Shared by the point's CloudFormation sources; created on first use. */
  cfnEndpoint: () => Promise<ResponseEndpoint>;
  /**
   * The function's async queue at this point, shared by every source that invokes it asynchronously
   * (Lambda keeps one per function); created on first use. Absent: each source gets its own.
   */
  asyncQueue?: (functionName: string) => AsyncQueue;
}

export interface SourceRoute {
  readonly keys: readonly SeriesKey[];
  /** Reports the arrival and delivers it; resolves once every function's outcome is decided. */
  deliver(eventId: number, intendedMs: number, payload: string): Promise<void>;
  /** An arrival the harness did not start (maxInFlight): reported as dropped for every function. */
  drop(eventId: number, intendedMs: number): void;
  stop(): void;
  /** Resolves when every delivered arrival has its outcome. */
  settled(): Promise<void>;
  /**
   * Completes what the calls' answers did not carry (figures read from logs: Event invokes,
   * `delivery: service`) and writes out the on-failure destination file (also when calls are
   * still running). Called before the point's recorder closes.
   */
  flush(): Promise<void>;
}

export async function createRoute(source: ScenarioSource, at: PointTargets): Promise<SourceRoute> {
  const keyFor = (fn: string): SeriesKey => ({
    source: source.name,
    functionName: fn,
    qualifier: at.qualifiers[fn] ?? '$LATEST',
    memoryMB: at.memoryMB[fn] ?? 0,
  });
  const contextFor = (fn: string): DeliveryContext => ({
    target: at.target,
    sink: at.sink,
    clock: at.clock,
    key: keyFor(fn),
  });
  if (source.service !== undefined) {
    const route = createServiceRoute(source.to.map(contextFor), source.service);
    return {
      keys: route.keys,
      deliver: (eventId, intendedMs, payload) => route.deliver(eventId, intendedMs, payload),
      drop: (eventId, intendedMs) => dropFor(at, route.keys, eventId, intendedMs),
      stop: () => route.stop(),
      settled: () => route.settled(),
      flush: () => route.complete(),
    };
  }
  if (source.kind === 'kinesis' || source.kind === 'dynamodb' || source.kind === 'sqs') {
    return createPullRoute(source, at, at.mapping[source.name] as MappingPoint);
  }
  // Real Event invokes: Lambda's own async queue, figures from the function's logs afterwards.
  const eventInvoke = source.invocationType === 'Event';
  const asyncDelivery = (fn: string): Delivery =>
    eventInvoke
      ? createEventInvokeDelivery(contextFor(fn))
      : createAsyncDelivery(contextFor(fn), asyncOptions(fn));
  const completeAll = (deliveries: readonly Delivery[]) => Promise.all(deliveries.map((d) => d.complete?.()));
  const destination = destinationFor(source, at.outputDir);
  const asyncOptions = (fn: string): AsyncQueueOptions & { queue?: AsyncQueue } => {
    const options = asyncQueueOptions(source, at.reservedConcurrency[fn], destination);
    const queue = at.asyncQueue?.(fn);
    return queue === undefined ? options : { ...options, queue };
  };

  if (source.kind === 'sns') {
    const subscriptions: SnsSubscription[] = [
      ...source.subscriptions,
      ...source.to
        .filter((fn) => !source.subscriptions.some((s) => s.to === fn))
        .map((fn) => ({ to: fn, filterPolicyScope: 'MessageAttributes' as const })),
    ];
    const subscribed = subscriptions.map((s) => asyncDelivery(s.to));
    const fanout = createSnsFanout(
      at.sink,
      subscriptions.map((s, i) => ({
        delivery: subscribed[i] as Delivery,
        ...(s.filterPolicy === undefined ? {} : { filterPolicy: s.filterPolicy }),
        filterPolicyScope: s.filterPolicyScope,
        where: source.position,
      })),
    );
    return {
      keys: fanout.keys,
      deliver: (eventId, intendedMs, payload) => fanout.publish(eventId, intendedMs, payload),
      drop: (eventId, intendedMs) => dropFor(at, fanout.keys, eventId, intendedMs),
      stop: () => fanout.stop(),
      settled: () => fanout.settled(),
      flush: async () => {
        await completeAll(subscribed);
        await destination?.flush();
      },
    };
  }

  const deliveries: Delivery[] = [];
  for (const fn of source.to) {
    const ctx = contextFor(fn);
    switch (source.kind) {
      case 'invoke':
        deliveries.push(source.async ? asyncDelivery(fn) : createSyncDelivery(ctx));
        break;
      case 'alexa':
        deliveries.push(createSyncDelivery(ctx));
        break;
      case 'apigateway':
        deliveries.push(
          createApiGatewayDelivery(ctx, {
            version: source.version === 1 ? 'v1' : 'v2',
            integrationTimeoutMs: source.integrationTimeoutMs,
          }),
        );
        break;
      case 'cloudformation':
        deliveries.push(
          createCloudFormationDelivery(ctx, {
            ...asyncOptions(fn),
            endpoint: await at.cfnEndpoint(),
            responseTimeoutMs: source.responseTimeoutMs,
          }),
        );
        break;
      case 's3':
      case 'eventbridge':
        deliveries.push(asyncDelivery(fn));
        break;
    }
  }
  const keys = deliveries.map((d) => d.key);
  return {
    keys,
    async deliver(eventId, intendedMs, payload) {
      for (const key of keys) at.sink.arrival(key, eventId, intendedMs);
      await Promise.all(deliveries.map((d) => d.deliver(eventId, intendedMs, payload)));
    },
    drop: (eventId, intendedMs) => dropFor(at, keys, eventId, intendedMs),
    stop: () => {
      for (const d of deliveries) d.stop();
    },
    settled: async () => {
      await Promise.all(deliveries.map((d) => d.settled()));
    },
    flush: async () => {
      await completeAll(deliveries);
      await destination?.flush();
    },
  };
}

function dropFor(at: PointTargets, keys: readonly SeriesKey[], eventId: number, intendedMs: number): void {
  for (const key of keys) {
    at.sink.arrival(key, eventId, intendedMs);
    at.sink.outcome({
      key,
      eventId,
      bucket: 'dropped',
      reason: HARNESS_DROP_REASON,
      attempts: 0,
      intendedStartMs: intendedMs,
      endMs: at.clock.now(),
    });
  }
}

function asyncQueueOptions(
  source: ScenarioSource,
  reservedConcurrency: number | undefined,
  destination: DestinationFile | undefined,
): AsyncQueueOptions {
  if (!('retries' in source)) return {};
  const r = source.retries;
  return {
    config: {
      maximumRetryAttempts: r.maximumRetryAttempts,
      maximumEventAgeMs: r.maximumEventAgeMs,
      retryDelaysMs: r.delaysMs,
      ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }),
    },
    ...(destination === undefined ? {} : { destination }),
  };
}

function destinationFor(source: ScenarioSource, outputDir: string): DestinationFile | undefined {
  if (!('onFailure' in source) || source.onFailure !== 'dlq') return undefined;
  return createDestinationFile(destinationPath(outputDir, source.name));
}
