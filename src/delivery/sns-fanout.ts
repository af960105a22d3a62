/**
 * SNS fan-out: one published message becomes one delivery per subscription whose filter policy
 * matches, each with its own EventSubscriptionArn, each through Lambda's async semantics (the
 * subscription's Delivery is normally an async delivery to the subscribed function).
 *
 * Unlike other deliveries the fan-out reports arrivals itself: sink.arrival for every subscription
 * the message is delivered to, sink.filtered for every subscription whose policy rejected it (SNS
 * never delivers those, so they are outside that key's ledger). The run must not call sink.arrival
 * for SNS messages.
 */
import { randomUUID } from 'node:crypto';
import { InputError, type SourcePosition } from '../core/errors.js';
import type { MetricsSink, SeriesKey } from '../metrics/types.js';
import {
  compileFilterPolicy,
  type FilterPolicyScope,
  type MessageFilter,
  type SnsFilterMessage,
} from './filter-policy.js';
import type { Delivery } from './types.js';

export interface SnsSubscription {
  /** Delivers to the subscribed function; its key is the subscription's series key. */
  delivery: Delivery;
  /** The policy as an object or JSON text; absent = every message. */
  filterPolicy?: unknown;
  filterPolicyScope?: FilterPolicyScope;
  /** Default: the message's TopicArn followed by a subscription id fixed for the run. */
  subscriptionArn?: string;
  /** Where the policy was written, so a malformed one is reported at its line. */
  where?: SourcePosition;
}

export interface SnsFanout {
  /** Routes one SNS event (`{Records:[{Sns:{…}}]}`); resolves when every matching delivery has its outcome. */
  publish(eventId: number, intendedStartMs: number, payload: string): Promise<void>;
  stop(): void;
  settled(): Promise<void>;
  readonly keys: readonly SeriesKey[];
}

interface Route {
  delivery: Delivery;
  matches: MessageFilter;
  arnFor(topicArn: string): string;
}

type SnsEvent = {
  Records: Array<Record<string, unknown> & { Sns: SnsFilterMessage & { TopicArn?: string } }>;
};

function parseSnsEvent(payload: string, eventId: number): SnsEvent {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    event = undefined;
  }
  const records = (event as { Records?: unknown })?.Records;
  const ok =
    Array.isArray(records) && records.length > 0 && records.every((r) => typeof r?.Sns === 'object' && r.Sns);
  if (!ok) {
    throw new InputError(
      'INVALID_SNS_EVENT',
      `SNS event ${eventId}: expected {"Records":[{"Sns":{…}}]} to route by subscription`,
    );
  }
  return event as SnsEvent;
}

/** Builds the routes once (validating every policy up front, so a bad one fails before the run). */
export function createSnsFanout(sink: MetricsSink, subscriptions: readonly SnsSubscription[]): SnsFanout {
  const routes: Route[] = subscriptions.map((s) => {
    const id = randomUUID();
    return {
      delivery: s.delivery,
      matches:
        s.filterPolicy === undefined
          ? () => true
          : compileFilterPolicy(s.filterPolicy, s.filterPolicyScope, s.where),
      arnFor: (topicArn) => s.subscriptionArn ?? `${topicArn}:${id}`,
    };
  });

  async function publish(eventId: number, intendedStartMs: number, payload: string): Promise<void> {
    const event = parseSnsEvent(payload, eventId);
    const first = event.Records[0] as SnsEvent['Records'][number];
    const topicArn = first.Sns.TopicArn ?? 'arn:aws:sns:us-east-1:123456789012:topic';
    const deliveries: Promise<void>[] = [];
    for (const route of routes) {
      const key = route.delivery.key;
      if (!route.matches(first.Sns)) {
        sink.filtered(key, eventId);
        continue;
      }
      const arn = route.arnFor(topicArn);
      const routed = { ...event, Records: event.Records.map((r) => ({ ...r, EventSubscriptionArn: arn })) };
      sink.arrival(key, eventId, intendedStartMs);
      deliveries.push(route.delivery.deliver(eventId, intendedStartMs, JSON.stringify(routed)));
    }
    await Promise.all(deliveries);
  }

  return {
    keys: routes.map((r) => r.delivery.key),
    publish,
    stop() {
      for (const r of routes) r.delivery.stop();
    },
    async settled() {
      await Promise.all(routes.map((r) => r.delivery.settled()));
    },
  };
}
