/**
 * SNS notifications delivered to a Lambda subscription (asynchronous invoke), one record per event.
 *
 * Rules reproduced (Lambda developer guide, "Using Lambda with Amazon SNS"; @types/aws-lambda):
 * PascalCase fields; `SigningCertUrl` / `UnsubscribeUrl` spelled as Lambda spells them (not the
 * `…URL` of SNS's HTTP payloads); `Subject` null when none; `MessageAttributes` as `{Type, Value}`
 * with the value always a string; `EventSubscriptionArn` is the topic ARN plus a subscription id
 * that stays the same for a topic.
 */
import type { SNSMessage } from 'aws-lambda';
import { arn, DEFAULT_ACCOUNT, DEFAULT_REGION, hash32, isoMs } from './common.js';
import { type Build, definePushSource } from './define.js';
import { enforceLimit, Limits, utf8Length } from './limits.js';
import { hex, int, pick, type Rand, randomBase64, Sfc32, uuid } from './random.js';

export interface SnsAttribute {
  Type: 'String' | 'Number' | 'Binary' | 'String.Array';
  Value: string;
}

/** @types/aws-lambda's SNSMessage, with `Subject` null when there is none, as SNS sends it. */
export type SnsNotification = Omit<SNSMessage, 'Subject' | 'MessageAttributes'> & {
  Subject: string | null;
  MessageAttributes: Record<string, SnsAttribute>;
};

export interface SnsNotificationEvent {
  Records: {
    EventSource: string;
    EventVersion: string;
    EventSubscriptionArn: string;
    Sns: SnsNotification;
  }[];
}

const OPTIONS = [
  'topic',
  'message',
  'subject',
  'attributes',
  'messageId',
  'region',
  'account',
  'signatureVersion',
] as const;

function build(b: Build): SnsNotificationEvent {
  const { o, r } = b;
  const region = o.string('region') ?? DEFAULT_REGION;
  const account = o.string('account') ?? DEFAULT_ACCOUNT;
  const topic = o.string('topic') ?? 'lambench-notifications';
  const topicArn = topic.startsWith('arn:') ? topic : arn('sns', region, account, topic);
  const message = messageOf(b);
  const attributes = attributesOf(b);
  let attributeBytes = 0;
  for (const [name, a] of Object.entries(attributes)) attributeBytes += utf8Length(name + a.Type + a.Value);
  enforceLimit('sns', utf8Length(message) + attributeBytes, Limits.snsMessage);
  const subscriptionArn = `${topicArn}:${stableUuid(topicArn)}`;
  const host = `https://sns.${region}.amazonaws.com`;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: o.string('messageId') ?? uuid(r),
          TopicArn: topicArn,
          Subject: o.string('subject') ?? null,
          Message: message,
          Timestamp: isoMs(b.now),
          SignatureVersion: o.string('signatureVersion') ?? '1',
          // An RSA-2048 signature: 256 bytes, base64.
          Signature: randomBase64(r, 256),
          SigningCertUrl: `${host}/SimpleNotificationService-${certHash(region)}.pem`,
          UnsubscribeUrl: `${host}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: attributes,
        },
      },
    ],
  };
}

/** A string message is sent as is; an object is JSON-stringified, as publishers do. */
function messageOf(b: Build): string {
  const given = b.o.json('message');
  if (typeof given === 'string') return given;
  if (given !== undefined && given !== null) return JSON.stringify(given);
  const f = b.r.faker;
  return JSON.stringify({
    orderId: `ord-${hex(b.r, 10)}`,
    status: pick(b.r, ['CREATED', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED']),
    customer: f.person.fullName(),
    amount: int(b.r, 100, 99_999) / 100,
  });
}

/** Attribute values: a string is String, a number Number, a list String.Array, or `{Type, Value}`. */
function attributesOf(b: Build): Record<string, SnsAttribute> {
  const given = b.o.json('attributes');
  if (given === undefined || given === null) return {};
  if (typeof given !== 'object' || Array.isArray(given))
    return b.o.fail('attributes', 'an object of attributes', given);
  const out: Record<string, SnsAttribute> = {};
  for (const [name, v] of Object.entries(given)) {
    if (typeof v === 'string') out[name] = { Type: 'String', Value: v };
    else if (typeof v === 'number') out[name] = { Type: 'Number', Value: String(v) };
    else if (Array.isArray(v)) out[name] = { Type: 'String.Array', Value: JSON.stringify(v) };
    else if (isTyped(v)) out[name] = { Type: v.Type, Value: String(v.Value) };
    else return b.o.fail(`attributes.${name}`, 'a string, number, list or {Type, Value}', v);
  }
  return out;
}

function isTyped(v: unknown): v is SnsAttribute {
  const types = ['String', 'Number', 'Binary', 'String.Array'];
  return typeof v === 'object' && v !== null && types.includes((v as SnsAttribute).Type) && 'Value' in v;
}

/** A UUID that depends only on `text`: one Lambda subscription per topic keeps its id. */
function stableUuid(text: string): string {
  const rng: Rand = seeded(hash32(text));
  return uuid(rng);
}

function certHash(region: string): string {
  return hex(seeded(hash32(`cert:${region}`)), 32);
}

function seeded(seed: number): Rand {
  const rng = new Sfc32();
  rng.seed(seed);
  return rng;
}

export const snsGenerator = definePushSource<SnsNotificationEvent>({
  source: 'sns',
  description: 'SNS notifications to a Lambda subscription (PascalCase, SigningCertUrl)',
  types: [{ name: 'notification', description: 'a message published to a topic', aliases: ['publish'] }],
  defaultType: 'notification',
  options: OPTIONS,
  build,
});
