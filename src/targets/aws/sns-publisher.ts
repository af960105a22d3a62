/**
 * Publishes to a real SNS topic (`delivery: service` for SNS sources): PublishBatch in batches
 * within SNS's limits (10 entries, 256 KiB per call) with message attributes, retrying entries SNS
 * failed on its side (SenderFault false) with exponential backoff. Entries failed as the sender's
 * fault are not retried: the same message would fail again. Every message ends published (with its
 * MessageId) or failed with SNS's code.
 */

import {
  type MessageAttributeValue,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { batchIndexes, type RetryOptions, sendRetryingRejected } from './retry-rejected.js';

export const PUBLISH_BATCH_MAX_ENTRIES = 10;
export const PUBLISH_BATCH_MAX_BYTES = 256 * 1024;

export interface SnsMessage {
  message: string;
  subject?: string;
  /** String attributes (DataType String); filter policies match on these. */
  attributes?: Record<string, string>;
}

export interface PublishOutcome {
  index: number;
  ok: boolean;
  messageId?: string;
  errorCode?: string;
  senderFault?: boolean;
  attempts: number;
}

/** Tries and back-off for messages a PublishBatch call fails on the service side. */
export type PublishOptions = RetryOptions;

function sizeOf(m: SnsMessage): number {
  let n = Buffer.byteLength(m.message) + Buffer.byteLength(m.subject ?? '');
  for (const [k, v] of Object.entries(m.attributes ?? {}))
    n += Buffer.byteLength(k) + Buffer.byteLength(v) + 6;
  return n;
}

/** Splits messages into PublishBatch calls within the entry and size limits, keeping their order. */
export function publishBatchesOf(messages: readonly SnsMessage[]): number[][] {
  return batchIndexes(messages, sizeOf, {
    maxEntries: PUBLISH_BATCH_MAX_ENTRIES,
    maxBytes: PUBLISH_BATCH_MAX_BYTES,
  });
}

function entryOf(m: SnsMessage, id: string): PublishBatchRequestEntry {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(m.attributes ?? {}))
    attributes[k] = { DataType: 'String', StringValue: v };
  return {
    Id: id,
    Message: m.message,
    ...(m.subject === undefined ? {} : { Subject: m.subject }),
    ...(Object.keys(attributes).length === 0 ? {} : { MessageAttributes: attributes }),
  };
}

/** Publishes every message; the outcome of each, in input order. */
export async function publishMessages(
  client: SNSClient,
  topicArn: string,
  messages: readonly SnsMessage[],
  options: PublishOptions = {},
): Promise<PublishOutcome[]> {
  const outcomes: PublishOutcome[] = messages.map((_, index) => ({ index, ok: false, attempts: 0 }));
  await sendRetryingRejected(publishBatchesOf(messages), options, async (pending, attempt) => {
    const out = await client.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: pending.map((i) => entryOf(messages[i] as SnsMessage, `m${i}`)),
      }),
    );
    for (const i of pending) (outcomes[i] as PublishOutcome).attempts = attempt;
    for (const s of out.Successful ?? []) {
      const o = outcomes[Number(s.Id?.slice(1))];
      if (o === undefined) continue;
      o.ok = true;
      if (s.MessageId !== undefined) o.messageId = s.MessageId;
      delete o.errorCode;
      delete o.senderFault;
    }
    const retry: number[] = [];
    for (const f of out.Failed ?? []) {
      const i = Number(f.Id?.slice(1));
      const o = outcomes[i];
      if (o === undefined) continue;
      o.errorCode = f.Code ?? 'Unknown';
      o.senderFault = f.SenderFault === true;
      if (!o.senderFault) retry.push(i);
    }
    return retry;
  });
  return outcomes;
}
