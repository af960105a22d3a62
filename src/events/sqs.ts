/**
 * SQS messages as the event source mapping delivers them (standard and FIFO queues).
 *
 * Rules reproduced (Lambda "Using Lambda with Amazon SQS"; SQS API reference): system attributes
 * are strings (timestamps in epoch ms); message attributes are lower camel
 * `{stringValue|binaryValue, stringListValues, binaryListValues, dataType}`; `md5OfBody` is the MD5
 * of the body and `md5OfMessageAttributes` the SQS digest, present only when attributes exist; FIFO
 * messages carry MessageGroupId, MessageDeduplicationId (content-based: SHA-256 of the body) and a
 * 20-digit SequenceNumber that grows with the index, hence within every message group.
 */
// crypto.hash is the one-shot digest (Node 20.12+): several times cheaper than createHash for small inputs.
import { hash } from 'node:crypto';
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';
import { arn, DEFAULT_ACCOUNT, DEFAULT_REGION, hash32 } from './common.js';
import { type Build, definePullSource } from './define.js';
import { md5Hex } from './encoding.js';
import { enforceLimit, Limits } from './limits.js';
import { hex, int, pick, randomBase64, upperChars, uuid } from './random.js';
import { md5OfMessageAttributes } from './sqs-md5.js';

const OPTIONS = [
  'queue',
  'fifo',
  'body',
  'attributes',
  'groupId',
  'groups',
  'deduplicationId',
  'receiveCount',
  'senderId',
  'traceHeader',
  'region',
  'account',
] as const;

const EVENTS = ['order.created', 'order.paid', 'invoice.sent', 'user.signed_up', 'cart.abandoned'];

function record(b: Build): SQSRecord {
  const { o, r } = b;
  const region = o.string('region') ?? DEFAULT_REGION;
  const account = o.string('account') ?? DEFAULT_ACCOUNT;
  const queueName = o.string('queue') ?? (o.bool('fifo') ? 'lambench-queue.fifo' : 'lambench-queue');
  const queueArn = queueName.startsWith('arn:') ? queueName : arn('sqs', region, account, queueName);
  const fifo = o.bool('fifo') ?? queueArn.endsWith('.fifo');
  if (fifo && !queueArn.endsWith('.fifo')) o.fail('queue', 'a FIFO queue name ending in ".fifo"', queueName);
  const body = bodyOf(b);
  const messageAttributes = attributesOf(b);
  let attributeBytes = 0;
  for (const [name, a] of Object.entries(messageAttributes)) {
    attributeBytes +=
      Buffer.byteLength(name) + Buffer.byteLength(a.dataType) + Buffer.byteLength(a.stringValue ?? '');
    attributeBytes += a.binaryValue ? Buffer.byteLength(a.binaryValue, 'base64') : 0;
  }
  enforceLimit('sqs', Buffer.byteLength(body) + attributeBytes, Limits.sqsMessage);
  const sent = Math.floor(b.now) - int(r, 5, 900);
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: String(o.number('receiveCount', { min: 1, integer: true }) ?? 1),
    SentTimestamp: String(sent),
    SenderId: o.string('senderId') ?? `AROA${upperChars(r, 17)}:${r.faker.word.noun()}-producer`,
    ApproximateFirstReceiveTimestamp: String(Math.floor(b.now)),
  };
  const trace = o.string('traceHeader');
  if (trace !== undefined) attributes.AWSTraceHeader = trace;
  if (fifo) {
    const groups = o.number('groups', { min: 1, integer: true }) ?? 5;
    attributes.SequenceNumber = sequenceNumberOf(queueArn, b.seed, b.index, int(r, 0, 9));
    attributes.MessageGroupId = o.string('groupId') ?? `group-${int(r, 1, groups)}`;
    attributes.MessageDeduplicationId = o.string('deduplicationId') ?? hash('sha256', body, 'hex');
  }
  const rec: SQSRecord = {
    messageId: uuid(r),
    // Receipt handles are opaque base64 blobs, typically a few hundred characters.
    receiptHandle: `AQEB${randomBase64(r, 120)}`,
    body,
    attributes,
    messageAttributes,
    md5OfBody: md5Hex(body),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  if (Object.keys(messageAttributes).length > 0)
    rec.md5OfMessageAttributes = md5OfMessageAttributes(messageAttributes);
  return rec;
}

function bodyOf(b: Build): string {
  const given = b.o.json('body');
  if (typeof given === 'string') return given;
  if (given !== undefined && given !== null) return JSON.stringify(given);
  const { r } = b;
  return JSON.stringify({
    type: pick(r, EVENTS),
    id: hex(r, 12),
    amount: int(r, 100, 50_000) / 100,
    at: Math.floor(b.now),
  });
}

/** A string is String, a number Number, or a full `{dataType, stringValue|binaryValue}`. */
function attributesOf(b: Build): Record<string, SQSMessageAttribute> {
  const given = b.o.json('attributes');
  if (given === undefined || given === null) return {};
  if (typeof given !== 'object' || Array.isArray(given))
    return b.o.fail('attributes', 'an object of attributes', given);
  const out: Record<string, SQSMessageAttribute> = {};
  for (const [name, v] of Object.entries(given)) {
    if (typeof v === 'string') out[name] = attr('String', v);
    else if (typeof v === 'number') out[name] = attr('Number', String(v));
    else if (
      typeof v === 'object' &&
      v !== null &&
      typeof (v as { dataType?: unknown }).dataType === 'string'
    ) {
      const a = v as { dataType: string; stringValue?: unknown; binaryValue?: unknown };
      if (typeof a.binaryValue === 'string') {
        out[name] = {
          binaryValue: a.binaryValue,
          stringListValues: [],
          binaryListValues: [],
          dataType: a.dataType,
        };
      } else out[name] = attr(a.dataType, String(a.stringValue ?? ''));
    } else
      return b.o.fail(`attributes.${name}`, 'a string, a number or {dataType, stringValue|binaryValue}', v);
  }
  return out;
}

function attr(dataType: string, stringValue: string): SQSMessageAttribute {
  return { stringValue, stringListValues: [], binaryListValues: [], dataType };
}

/** 20 digits: "18", 5 from queue and seed, then 13 of index × 10 + jitter. */
export function sequenceNumberOf(queueArn: string, seed: number, index: number, jitter: number): string {
  const prefix = String(hash32(`${queueArn}|${seed}`) % 100000).padStart(5, '0');
  return `18${prefix}${String(index * 10 + jitter).padStart(13, '0')}`;
}

export const sqsGenerator = definePullSource<SQSEvent, SQSRecord>({
  source: 'sqs',
  description: 'SQS messages (standard and FIFO) with real MD5s of body and attributes',
  types: [
    {
      name: 'message',
      description: 'a message received from a queue',
      aliases: ['receive-message', 'receive'],
    },
  ],
  defaultType: 'message',
  options: OPTIONS,
  record,
  wrap: (records) => ({ Records: records }),
  shardOf: (rec) => rec.attributes.MessageGroupId ?? rec.eventSourceARN,
});
